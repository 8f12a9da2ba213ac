/**
 * Runs a phone (headless simulator, with or without rendering) as the body of a child process:
 * starts it and the control bridge, prints `<readyPrefix>{"wsEndpoint":..., "controlUrl":...}`,
 * and exits on SIGTERM/SIGINT, on IPC disconnect, or when orphaned (a killed parent cannot stop
 * us, so we notice the parent change instead).
 */
import { startControlBridge } from './control-bridge';
import type { Phone } from './phone';

export function servePhone(start: () => Promise<Phone>, readyPrefix: string): void {
  const run = async (): Promise<void> => {
    const phone = await start();
    const bridge = await startControlBridge(phone, () => undefined);
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      // Exit even if the app left something running; give a clean close a moment first.
      setTimeout(() => process.exit(0), 3000).unref();
      void Promise.allSettled([bridge.close(), phone.stop()]).then(() => process.exit(0));
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    process.on('disconnect', stop);
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) stop();
    }, 1000).unref();
    process.stdout.write(
      readyPrefix + JSON.stringify({ wsEndpoint: phone.wsEndpoint, controlUrl: bridge.url }) + '\n',
    );
  };
  run().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  });
}
