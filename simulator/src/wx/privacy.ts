import { asyncApi, deliver, failResult, optionsOf, usesCallbacks, WxFailure } from './callback';
import type { ApiTable, WxContext } from './context';
import type { WxFunction } from './types';
import { Listeners } from './types';

type PrivacyAnswer = 'agree' | 'disagree' | 'pending';
type Resolve = (result: { event?: string; buttonId?: string }) => void;

/** APIs WeChat gates behind the privacy agreement (of those emulated here). */
export const PRIVACY_APIS = new Set([
  'chooseMedia',
  'chooseImage',
  'saveImageToPhotosAlbum',
  'saveVideoToPhotosAlbum',
  'getClipboardData',
  'setClipboardData',
  'authorize',
]);

/**
 * The privacy agreement. While it is needed, a gated API (or requirePrivacyAuthorize) waits for
 * one decision shared by every waiting call: the app's onNeedPrivacyAuthorization listener makes
 * it (its own popup, resolving with the agree button's id) when there is one; otherwise the
 * official popup does, answered by the configured default or controls.agreePrivacy/disagree.
 */
export class Privacy {
  needAuthorization = false;
  answer: PrivacyAnswer;
  readonly listeners: Listeners<[Resolve, { referrer: string }]>;
  private decision: { done: Promise<boolean>; settle(agree: boolean): void } | null = null;

  constructor(private readonly ctx: WxContext) {
    this.answer = ctx.options.privacyDefault ?? 'agree';
    this.listeners = new Listeners(ctx.onCallbackError);
    ctx.disposers.push(() => this.settle(false));
  }

  /** Ends the pending decision (agree also covers a tap on an agreePrivacyAuthorization button). */
  settle(agree: boolean): boolean {
    const decision = this.decision;
    if (agree) this.needAuthorization = false;
    decision?.settle(agree);
    return decision !== null;
  }

  private decide(referrer: string): Promise<boolean> {
    if (this.decision) return this.decision.done;
    let settle!: (agree: boolean) => void;
    const done = new Promise<boolean>((resolve) => {
      settle = (agree) => {
        if (this.decision?.done !== done) return; // answered already
        this.decision = null;
        if (agree) this.needAuthorization = false;
        resolve(agree);
      };
    });
    this.decision = { done, settle };
    if (this.listeners.size > 0) {
      const check = this.ctx.host.checkPrivacyButton;
      this.listeners.emit(
        (result) => {
          const agree = result?.event === 'agree';
          if (agree && check && !check(result.buttonId)) {
            this.ctx.host.log('error', [
              `privacy resolve({ event: 'agree' }) needs the id of the tapped agree button, got ${String(result.buttonId)}`,
            ]);
            settle(false);
            return;
          }
          settle(agree);
        },
        { referrer },
      );
    } else if (this.answer !== 'pending') {
      settle(this.answer === 'agree');
    }
    return done;
  }

  async require(referrer: string): Promise<void> {
    if (!this.needAuthorization) return;
    if (!(await this.decide(referrer))) {
      throw new WxFailure('privacy permission is not authorized', { errno: 104 });
    }
  }
}

export function createPrivacyApis(ctx: WxContext, privacy: Privacy): ApiTable {
  const on = ctx.onCallbackError;
  return {
    getPrivacySetting: asyncApi(
      'getPrivacySetting',
      () => ({
        needAuthorization: privacy.needAuthorization,
        privacyContractName: '《小程序隐私保护指引》',
      }),
      on,
    ),
    requirePrivacyAuthorize: asyncApi(
      'requirePrivacyAuthorize',
      async () => (await privacy.require('requirePrivacyAuthorize'), {}),
      on,
    ),
    onNeedPrivacyAuthorization: (fn) => privacy.listeners.add(fn),
    openPrivacyContract: asyncApi(
      'openPrivacyContract',
      () => (ctx.record('openPrivacyContract', {}), {}),
      on,
    ),
  };
}

/**
 * A privacy-gated API: while the agreement is needed the call waits for the decision and, when
 * refused, fails `<api>:fail privacy permission is not authorized` (errno 104) through the same
 * callbacks or Promise the API itself would use.
 */
export function gateOnPrivacy(
  ctx: WxContext,
  privacy: Privacy,
  api: string,
  inner: WxFunction,
): WxFunction {
  return (arg?: unknown) => {
    if (
      !privacy.needAuthorization ||
      arg === null ||
      (arg !== undefined && typeof arg !== 'object')
    ) {
      return inner(arg);
    }
    const options = optionsOf(arg);
    const decided = privacy.require(api);
    if (usesCallbacks(options)) {
      decided.then(
        () => inner(arg),
        (error: unknown) => deliver(options, false, failResult(api, error), ctx.onCallbackError),
      );
      return undefined;
    }
    return decided.then(
      () => inner(arg),
      (error: unknown) => Promise.reject(failResult(api, error)),
    );
  };
}
