/** jest globalTeardown of the e2e project: stops what global-setup.ts started, even after failures. */
import { stopAll } from './stoppers';

export default async function globalTeardown(): Promise<void> {
  const failures = await stopAll();
  if (failures.length > 0) console.warn(`e2e teardown problems:\n  ${failures.join('\n  ')}`);
}
