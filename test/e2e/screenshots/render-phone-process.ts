/**
 * Entry of the rendering phone's process: `node -r scripts/register-ts.js render-phone-process.ts
 * '<RenderPhoneOptions JSON>'` starts the phone (render-phone.ts) and the harness's control bridge,
 * prints one line `RENDER-PHONE-READY {"wsEndpoint":..., "controlUrl":...}` and exits on SIGTERM.
 */
import { servePhone } from '../harness/serve-phone';
import { RENDER_PHONE_READY, startRenderPhone } from './render-phone';
import type { RenderPhoneOptions } from './render-phone';

const options = JSON.parse(process.argv[2] ?? '') as RenderPhoneOptions;
servePhone(() => startRenderPhone(options), RENDER_PHONE_READY);
