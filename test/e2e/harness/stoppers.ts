/**
 * What global setup started, stopped in reverse order by global teardown (or by setup itself when
 * it fails half-way). Kept on globalThis because jest shares only globals between globalSetup and
 * globalTeardown, not module instances.
 */
interface Stopper {
  name: string;
  stop: () => Promise<void>;
}

const KEY = Symbol.for('mp-e2e-stoppers');
type Registry = { [KEY]?: Stopper[] };

function registry(): Stopper[] {
  const holder = globalThis as Registry;
  holder[KEY] ??= [];
  return holder[KEY];
}

export function registerStopper(name: string, stop: () => Promise<void>): void {
  registry().push({ name, stop });
}

/** Stops everything, newest first; one failing stopper does not keep the others running. */
export async function stopAll(): Promise<string[]> {
  const failures: string[] = [];
  const stoppers = registry().splice(0).reverse();
  for (const { name, stop } of stoppers) {
    try {
      await stop();
    } catch (error) {
      failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return failures;
}
