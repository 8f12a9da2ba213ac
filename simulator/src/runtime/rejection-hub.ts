import vm from 'vm';

/** Claims a rejection if the promise belongs to its app; returns whether it did. */
export type RejectionClaim = (reason: unknown, promise: Promise<unknown>) => boolean;

/**
 * Node's own process object. Under a test runner that gives modules a stand-in `process`
 * (jest), listeners on the stand-in never fire; the main context holds the real one.
 */
const realProcess = vm.runInThisContext('process') as NodeJS.Process;
const claims = new Set<RejectionClaim>();

function onRejection(reason: unknown, promise: Promise<unknown>): void {
  for (const claim of claims) if (claim(reason, promise)) return;
  // Nobody's app: keep Node's default (crash) unless someone else listens too.
  if (realProcess.listenerCount('unhandledRejection') === 1) throw reason;
}

/**
 * One process-wide 'unhandledRejection' listener shared by every running mini program, so that
 * apps' rejections reach their App.onUnhandledRejection and other rejections keep Node's default.
 */
export function watchRejections(claim: RejectionClaim): () => void {
  if (claims.size === 0) realProcess.on('unhandledRejection', onRejection);
  claims.add(claim);
  return () => {
    claims.delete(claim);
    if (claims.size === 0) realProcess.off('unhandledRejection', onRejection);
  };
}
