import { asyncApi, WxFailure } from './callback';
import type { ApiTable, WxContext } from './context';
import { Listeners } from './types';

type PrivacyAnswer = 'agree' | 'disagree' | 'pending';
type Resolve = (result: { event?: string; buttonId?: string }) => void;

/**
 * The privacy agreement. requirePrivacyAuthorize hands the decision to the app's
 * onNeedPrivacyAuthorization listener when it has one (its own popup), otherwise to the official
 * popup, answered by the configured default or controls.agreePrivacy/disagreePrivacy.
 */
export class Privacy {
  needAuthorization = false;
  answer: PrivacyAnswer;
  readonly listeners: Listeners<[Resolve, { referrer: string }]>;
  private readonly pending: Array<(agree: boolean) => void> = [];

  constructor(ctx: WxContext) {
    this.answer = ctx.options.privacyDefault ?? 'agree';
    this.listeners = new Listeners(ctx.onCallbackError);
    ctx.disposers.push(() => {
      while (this.pending.length) this.settle(false);
    });
  }

  settle(agree: boolean): boolean {
    const next = this.pending.shift();
    next?.(agree);
    return next !== undefined;
  }

  async require(referrer: string): Promise<void> {
    if (!this.needAuthorization) return;
    const agree = await new Promise<boolean>((resolve) => {
      if (this.listeners.size > 0) {
        this.listeners.emit((result) => resolve(result?.event === 'agree'), { referrer });
        return;
      }
      if (this.answer === 'pending') this.pending.push(resolve);
      else resolve(this.answer === 'agree');
    });
    if (!agree) throw new WxFailure('privacy permission is not authorized', { errno: 104 });
    this.needAuthorization = false;
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
