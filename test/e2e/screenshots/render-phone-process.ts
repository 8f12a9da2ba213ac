/**
 * Entry of the rendering phone's process: `node -r scripts/register-ts.js render-phone-process.ts
 * '<RenderPhoneOptions JSON>'` starts the phone (render-phone.ts) and the harness's control bridge,
 * prints one line `RENDER-PHONE-READY {"wsEndpoint":..., "controlUrl":...}` and exits on SIGTERM.
 */
import { startControlBridge } from '../harness/control-bridge';
import { RENDER_PHONE_READY, startRenderPhone } from './render-phone';
import type { RenderPhoneOptions } from './render-phone';

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '') as RenderPhoneOptions;
  const phone = await startRenderPhone(options);
  const bridge = await startControlBridge(phone, () => undefined);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), 3000).unref();
    void Promise.allSettled([bridge.close(), phone.stop()]).then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop);
  process.stdout.write(
    RENDER_PHONE_READY +
      JSON.stringify({ wsEndpoint: phone.wsEndpoint, controlUrl: bridge.url }) +
      '\n',
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
