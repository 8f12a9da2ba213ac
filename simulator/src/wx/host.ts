/**
 * What the wx API layer needs from the simulator runtime. The runtime builds one `WxHost` per
 * loaded project and passes it to `createWx()`; everything here is plain data or a callback so the
 * wx layer can be tested on its own with temp dirs.
 */
export type WxLogType = 'log' | 'info' | 'warn' | 'error' | 'debug';

export interface WxHost {
  /** The mini program root that is being run (the project's `dist/`, where app.json lives). */
  projectPath: string;
  /**
   * Per-project persistent state: storage, the simulated photo album, user files
   * (`wx.env.USER_DATA_PATH`) and saved files. Reusing the same dir across simulator restarts keeps
   * them, as a phone keeps them across app restarts.
   */
  dataDir: string;
  /** Temp files (`http://tmp/...`): chosen media, downloads, compressed images. */
  tempDir: string;
  /** Folder whose image/video files `chooseMedia`/`chooseImage` pick from (sorted by name). */
  fixturesDir?: string;
  /** The app's console and the simulator's own warnings (forwarded as `App.logAdded`). */
  log(type: WxLogType, args: unknown[]): void;
  /** From project.config.json; reported by `getAccountInfoSync` and sent in the Referer. */
  appId?: string;
  /**
   * Constructors of the app's vm realm, so values handed to app code pass its `instanceof`
   * checks (an ArrayBuffer made in Node's realm is not `instanceof ArrayBuffer` inside the vm).
   * Defaults to Node's own.
   */
  realm?: WxRealm;
  /**
   * When given, an app's privacy `resolve({ event: 'agree', buttonId })` counts only if this
   * returns true for the id (WeChat requires the id of the tapped agreePrivacyAuthorization button).
   */
  checkPrivacyButton?(buttonId: string | undefined): boolean;
}

export interface WxRealm {
  ArrayBuffer: ArrayBufferConstructor;
  Error: ErrorConstructor;
}

export type NetworkType = 'wifi' | '2g' | '3g' | '4g' | '5g' | 'unknown' | 'none';
export type ScopeState = 'granted' | 'denied' | 'unasked';
export type Theme = 'light' | 'dark';
/** How a dialog that nobody answers through controls is answered. */
export type DialogAnswer = 'confirm' | 'cancel' | 'pending';

export interface WxOptions {
  /** The simulated WeChat user: `wx.login` codes are `dev-<userKey>-<nonce>`. Default `'tester'`. */
  userKey?: string;
  /** `SDKVersion` of the simulated base library. Default `'3.8.0'`. */
  sdkVersion?: string;
  /** Default `'light'`. */
  theme?: Theme;
  /** Default `'zh_CN'`. */
  language?: string;
  /** How showModal is answered when no control answers it. Default `'pending'` (waits). */
  modalDefault?: DialogAnswer;
  /**
   * How `authorize` on a never-asked scope is answered (the permission popup) when no control
   * answers it. Default `'confirm'` (the user allows).
   */
  authorizeDefault?: DialogAnswer;
  /** Default `'agree'` for requirePrivacyAuthorize. */
  privacyDefault?: 'agree' | 'disagree' | 'pending';
  /** Initial scope grants, e.g. `{ 'scope.writePhotosAlbum': 'denied' }`. */
  scopes?: Record<string, ScopeState>;
  /** Default request timeout in ms when a call gives none (WeChat: 60000). */
  requestTimeoutMs?: number;
}
