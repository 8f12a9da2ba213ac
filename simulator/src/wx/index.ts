import { createAuthApis, Permissions } from './auth';
import { createContext } from './context';
import type { SimulatorControls, WxRecord } from './controls';
import { createFileSystem } from './fs';
import type { WxHost, WxOptions } from './host';
import { createMediaApis, MediaPicker } from './media';
import { Clipboard, createMiscApis } from './misc';
import { ConcurrencyLimiter } from './network/limiter';
import { createRequest, type NetEnv, readAppTimeouts } from './network/request';
import { createSocketApis } from './network/socket';
import { NetworkConditions } from './network/state';
import { createDownloadFile, createUploadFile, fetchBytes } from './network/transfer';
import { USER_DATA_PATH, WxPaths } from './paths';
import { createPrivacyApis, gateOnPrivacy, Privacy, PRIVACY_APIS } from './privacy';
import { createSessionApis, Session } from './session';
import { createStorageApis, WxStorage } from './storage';
import { createSystemApis, SystemState } from './system';
import type { WxFunction } from './types';
import { createUiApis, Screen } from './ui';
import { canIUse, wrapWx } from './unknown';

export type { WxHost, WxOptions, WxLogType, WxRealm, NetworkType, ScopeState, Theme } from './host';
export type { DialogAnswer } from './host';
export type * from './controls';
export type { WxFunction } from './types';
export { USER_DATA_PATH } from './paths';

/** request, uploadFile and downloadFile share 10 slots; the rest queue (see network/limiter.ts). */
export const MAX_CONCURRENT_REQUESTS = 10;

export interface WxInstance {
  /** This layer's APIs by name. The runtime merges its own (routing, selectors, ...) over them. */
  apis: Record<string, WxFunction>;
  controls: SimulatorControls;
  /**
   * Wrap the merged wx object the app will see: adds `wx.env` when missing, makes canIUse answer
   * for every name it holds, and makes a call to a real-but-unemulated WeChat API fail loudly
   * (and log) instead of being a silent no-op. Other names stay `undefined`, as on a phone.
   */
  wrap(merged: Record<string, unknown>): Record<string, unknown>;
  /** Abort requests, close sockets, cancel open dialogs, stop timers, flush storage writes. */
  dispose(): void;
}

export function createWx(host: WxHost, options: WxOptions = {}): WxInstance {
  const ctx = createContext(host, options);
  const paths = new WxPaths(host.projectPath, host.dataDir, host.tempDir);
  const network = new NetworkConditions(ctx.onCallbackError);
  const env: NetEnv = {
    ctx,
    appTimeouts: readAppTimeouts(host.projectPath),
    network,
    limiter: new ConcurrencyLimiter(MAX_CONCURRENT_REQUESTS),
    inflight: new Set(),
  };
  const storage = new WxStorage(host.dataDir, (error) =>
    host.log('error', ['storage write failed:', error instanceof Error ? error.message : error]),
  );
  const permissions = new Permissions(ctx);
  const picker = new MediaPicker(ctx, paths);
  const screen = new Screen(ctx);
  const system = new SystemState(ctx);
  const session = new Session(ctx);
  const privacy = new Privacy(ctx);
  const clipboard = new Clipboard();
  const sockets = createSocketApis(env);
  const fileSystem = createFileSystem(ctx, paths);

  let visible: Record<string, unknown> | undefined;
  const apis: Record<string, WxFunction> = {
    request: createRequest(env),
    uploadFile: createUploadFile(env, paths),
    downloadFile: createDownloadFile(env, paths),
    ...sockets.apis,
    ...createStorageApis(ctx, storage),
    ...fileSystem.apis,
    ...createAuthApis(ctx, permissions),
    ...createMediaApis(ctx, paths, picker, permissions, (url) => fetchBytes(env, url)),
    ...createUiApis(ctx, screen),
    ...createSystemApis(ctx, system),
    ...createSessionApis(ctx, session, network),
    ...createPrivacyApis(ctx, privacy),
    ...createMiscApis(ctx, clipboard, screen, network),
    canIUse: (schema) =>
      canIUse(schema, (name) => typeof (visible ?? apis)[name] === 'function' || name === 'env'),
  };

  for (const name of PRIVACY_APIS) apis[name] = gateOnPrivacy(ctx, privacy, name, apis[name]);

  const controls: SimulatorControls = {
    setNetwork: (patch) => network.set(patch),
    getNetwork: () => network.get(),
    setBackground: (background) => network.setBackground(background === true),
    setUserKey: (userKey) => session.setUserKey(userKey),
    getUserKey: () => session.userKey,
    setSessionValid: (valid) => {
      session.valid = valid === true;
    },
    loginCodes: () => [...session.codes],
    setScope: (scope, state) => permissions.set(scope, state),
    getScopes: () => permissions.all(),
    setAuthorizeDefault: (answer) => {
      permissions.authorizeDefault = checkAnswer(answer);
    },
    authorizeAllow: () => permissions.answerPopup(true),
    authorizeCancel: () => permissions.answerPopup(false),
    scriptOpenSetting: (changes) => permissions.scriptOpenSetting(changes),
    setNextChoose: (next) => picker.setNext(next),
    albumFiles: () => paths.albumFiles(),
    clearAlbum: () => paths.clearAlbum(),
    resolvePath: (wxPath) => paths.resolve(wxPath).real,
    setModalDefault: (answer) => {
      screen.modalDefault = checkAnswer(answer);
    },
    confirmModal: (data) => screen.answerModal(true, data?.content),
    cancelModal: () => screen.answerModal(false),
    answerActionSheet: (tapIndex) => screen.answerSheet(tapIndex),
    screen: () => screen.current(),
    history: (api) => copyRecords(ctx.history.filter((r) => api === undefined || r.api === api)),
    clearHistory: () => {
      ctx.history.length = 0;
    },
    clearStorage: () => storage.clear(),
    storageSnapshot: () => storage.snapshot(),
    setTheme: (theme) => system.setTheme(theme),
    getClipboard: () => clipboard.data,
    setClipboard: (data) => {
      clipboard.data = String(data);
    },
    setPrivacy: (state) => {
      const { needAuthorization, answer } = state ?? {};
      if (needAuthorization !== undefined && typeof needAuthorization !== 'boolean') {
        throw new Error(
          `needAuthorization must be true or false, got ${String(needAuthorization)}`,
        );
      }
      if (answer !== undefined) checkPrivacyAnswer(answer);
      if (needAuthorization !== undefined) privacy.needAuthorization = needAuthorization;
      if (answer !== undefined) privacy.answer = answer;
    },
    agreePrivacy: () => privacy.settle(true),
    disagreePrivacy: () => privacy.settle(false),
    native: (method, data) => {
      switch (method) {
        case 'confirmModal':
          return screen.answerModal(true, (data as { content?: string } | undefined)?.content);
        case 'cancelModal':
          return screen.answerModal(false);
        case 'authorizeAllow':
          return permissions.answerPopup(true);
        case 'authorizeCancel':
          return permissions.answerPopup(false);
        default:
          return false;
      }
    },
  };

  return {
    apis,
    controls,
    wrap(merged) {
      if (!('env' in merged)) merged.env = { USER_DATA_PATH };
      visible = merged;
      return wrapWx(ctx, merged);
    },
    dispose() {
      for (const call of [...env.inflight]) call.abort();
      network.dispose();
      storage.flush();
      for (const dispose of ctx.disposers.splice(0)) dispose();
    },
  };
}

function checkAnswer<T extends string>(answer: T): T {
  if (!['confirm', 'cancel', 'pending'].includes(answer)) {
    throw new Error(`answer must be confirm, cancel or pending, got ${String(answer)}`);
  }
  return answer;
}

function checkPrivacyAnswer(answer: string): void {
  if (!['agree', 'disagree', 'pending'].includes(answer)) {
    throw new Error(`privacy answer must be agree, disagree or pending, got ${String(answer)}`);
  }
}

function copyRecords(records: WxRecord[]): WxRecord[] {
  return records.map((r) => ({ ...r, params: { ...r.params } }));
}
