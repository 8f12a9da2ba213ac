import { asyncApi, WxFailure } from './callback';
import type { ApiTable, WxContext } from './context';
import type { DialogAnswer, ScopeState } from './host';

export const KNOWN_SCOPES = [
  'scope.userInfo',
  'scope.userLocation',
  'scope.userFuzzyLocation',
  'scope.userLocationBackground',
  'scope.record',
  'scope.camera',
  'scope.bluetooth',
  'scope.writePhotosAlbum',
  'scope.addPhoneContact',
  'scope.addPhoneCalendar',
  'scope.werun',
  'scope.address',
  'scope.invoiceTitle',
  'scope.invoice',
];

/**
 * Per-scope grants as a phone keeps them. A never-asked scope shows the permission popup, answered
 * by `authorizeDefault` or, when that is 'pending', by the Tool.native authorizeAllow/Cancel.
 */
export class Permissions {
  private readonly scopes = new Map<string, ScopeState>();
  private readonly popups: Array<{ scope: string; answer(allow: boolean): void }> = [];
  private openSettingScript: Record<string, boolean> | null = null;
  authorizeDefault: DialogAnswer;

  constructor(private readonly ctx: WxContext) {
    this.authorizeDefault = ctx.options.authorizeDefault ?? 'confirm';
    // Nobody answers after dispose: refuse open popups so every call settles.
    ctx.disposers.push(() => {
      while (this.answerPopup(false));
    });
    for (const [scope, state] of Object.entries(ctx.options.scopes ?? {})) this.set(scope, state);
  }

  set(scope: string, state: ScopeState): void {
    if (typeof scope !== 'string' || !scope.startsWith('scope.')) {
      throw new Error(`scope must be a string like 'scope.camera', got ${String(scope)}`);
    }
    if (!['granted', 'denied', 'unasked'].includes(state)) {
      throw new Error(`scope state must be granted, denied or unasked, got ${String(state)}`);
    }
    if (state === 'unasked') this.scopes.delete(scope);
    else this.scopes.set(scope, state);
  }

  all(): Record<string, ScopeState> {
    return Object.fromEntries(this.scopes);
  }

  /** `authSetting` of getSetting/openSetting: only scopes the user has answered appear. */
  authSetting(): Record<string, boolean> {
    const out: Record<string, boolean> = {};
    for (const [scope, state] of this.scopes) out[scope] = state === 'granted';
    return out;
  }

  scriptOpenSetting(changes: Record<string, boolean>): void {
    const valid =
      changes !== null &&
      typeof changes === 'object' &&
      Object.entries(changes).every(
        ([scope, granted]) => scope.startsWith('scope.') && typeof granted === 'boolean',
      );
    if (!valid) {
      throw new Error(
        "scriptOpenSetting expects { 'scope.<name>': true | false, ... }, got " +
          JSON.stringify(changes),
      );
    }
    this.openSettingScript = { ...changes };
  }

  /** The openSetting page: the scripted toggles (once), then the resulting authSetting. */
  openSetting(): Record<string, boolean> {
    const script = this.openSettingScript ?? {};
    this.openSettingScript = null;
    for (const [scope, granted] of Object.entries(script)) {
      this.scopes.set(scope, granted ? 'granted' : 'denied');
    }
    return this.authSetting();
  }

  answerPopup(allow: boolean): boolean {
    const popup = this.popups.shift();
    popup?.answer(allow);
    return popup !== undefined;
  }

  get pendingPopups(): number {
    return this.popups.length;
  }

  /** Resolves when the scope is granted; fails with `auth deny` when denied or refused. */
  async ensure(scope: string): Promise<void> {
    const state = this.scopes.get(scope);
    if (state === 'granted') return;
    if (state === 'denied') throw new WxFailure('auth deny');
    this.ctx.record('authorizePopup', { scope });
    const allow =
      this.authorizeDefault === 'pending'
        ? await new Promise<boolean>((resolve) => this.popups.push({ scope, answer: resolve }))
        : this.authorizeDefault === 'confirm';
    this.scopes.set(scope, allow ? 'granted' : 'denied');
    if (!allow) throw new WxFailure('auth deny');
  }
}

export function createAuthApis(ctx: WxContext, permissions: Permissions): ApiTable {
  const on = ctx.onCallbackError;
  return {
    getSetting: asyncApi('getSetting', () => ({ authSetting: permissions.authSetting() }), on),
    authorize: asyncApi(
      'authorize',
      async (o) => {
        if (typeof o.scope !== 'string' || !KNOWN_SCOPES.includes(o.scope)) {
          throw new WxFailure('invalid scope');
        }
        await permissions.ensure(o.scope);
        return {};
      },
      on,
    ),
    openSetting: asyncApi(
      'openSetting',
      () => {
        ctx.record('openSetting', {});
        return { authSetting: permissions.openSetting() };
      },
      on,
    ),
  };
}
