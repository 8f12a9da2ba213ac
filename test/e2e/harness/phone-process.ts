/**
 * The headless phone in its own process: simulator + control bridge. Run by global setup as
 * `node -r scripts/register-ts.js phone-process.ts '<PhoneOptions JSON>'`; prints one line
 * `PHONE-READY {"wsEndpoint":..., "controlUrl":...}` when both answer, and exits on SIGTERM.
 *
 * WHY a process of its own: whatever the simulated app leaves running (sockets, timers) cannot
 * keep jest alive after the run, and the simulator gets a core of its own instead of sharing
 * jest's event loop.
 */
import { startHeadless } from './phone';
import type { PhoneOptions } from './phone';
import { PHONE_READY_PREFIX } from './phone-launcher';
import { servePhone } from './serve-phone';

const options = JSON.parse(process.argv[2] ?? '') as PhoneOptions;
servePhone(() => startHeadless(options), PHONE_READY_PREFIX);
