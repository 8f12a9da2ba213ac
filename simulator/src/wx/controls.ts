import type { DialogAnswer, NetworkType, ScopeState, Theme } from './host';

/**
 * Everything a test sets or reads on the simulated phone. Every method takes and returns JSON-able
 * values so the runtime can expose them one-to-one over the automator protocol (`Simulator.<name>`).
 */
export interface NetworkState {
  online: boolean;
  type: NetworkType;
  /** Added to every request, download, upload and socket open. */
  latencyMs: number;
  /** Fires onNetworkWeakChange when it changes. */
  weak: boolean;
}

export interface UiToast {
  title: string;
  icon: string;
  image?: string;
  duration: number;
  mask: boolean;
}

export interface UiLoading {
  title: string;
  mask: boolean;
}

export interface UiModal {
  title: string;
  content: string;
  showCancel: boolean;
  cancelText: string;
  confirmText: string;
  editable: boolean;
  placeholderText: string;
}

export interface UiActionSheet {
  alertText: string;
  itemList: string[];
}

/** What is on screen now (null = not shown). */
export interface UiScreen {
  toast: UiToast | null;
  loading: UiLoading | null;
  modal: UiModal | null;
  actionSheet: UiActionSheet | null;
}

/** One recorded call: UI shown/hidden, or a recorded no-op (reportAnalytics, previewImage, ...). */
export interface WxRecord {
  api: string;
  params: Record<string, unknown>;
  /** Epoch ms. */
  at: number;
}

/** What the next chooseMedia/chooseImage returns. File names are relative to fixturesDir. */
export type NextChoose = { files: string[] } | { cancel: true };

export interface SimulatorControls {
  // ---- network
  setNetwork(patch: Partial<NetworkState>): NetworkState;
  getNetwork(): NetworkState;
  /**
   * The runtime calls this when the app is hidden (true) / shown (false): network calls still
   * running 5 s after hiding fail with `interrupted`, and new ones fail until the app is shown.
   */
  setBackground(background: boolean): void;
  // ---- login
  setUserKey(userKey: string): void;
  getUserKey(): string;
  /** checkSession succeeds while valid; `wx.login` makes it valid again. */
  setSessionValid(valid: boolean): void;
  /** Every code wx.login issued, oldest first. */
  loginCodes(): string[];
  // ---- permissions
  setScope(scope: string, state: ScopeState): void;
  getScopes(): Record<string, ScopeState>;
  /** How a pending authorize popup (never-asked scope) is answered by default. */
  setAuthorizeDefault(answer: DialogAnswer): void;
  /** Tool.native authorizeAllow / authorizeCancel: answer the oldest pending popup. */
  authorizeAllow(): boolean;
  authorizeCancel(): boolean;
  /** The user's toggles in the next openSetting page, e.g. `{ 'scope.writePhotosAlbum': true }`. */
  scriptOpenSetting(changes: Record<string, boolean>): void;
  // ---- media
  setNextChoose(next: NextChoose | null): void;
  /** Absolute paths of the files in the simulated photo album, sorted. */
  albumFiles(): string[];
  clearAlbum(): void;
  /** The real file behind a wx path (`http://tmp/...`, `wxfile://usr/...`); throws if outside. */
  resolvePath(wxPath: string): string;
  // ---- UI
  setModalDefault(answer: DialogAnswer): void;
  /** Tool.native confirmModal / cancelModal: answer the modal on screen. False if none. */
  confirmModal(data?: { content?: string }): boolean;
  cancelModal(): boolean;
  /** Tap an action sheet item (index) or cancel it (null). False if none is shown. */
  answerActionSheet(tapIndex: number | null): boolean;
  screen(): UiScreen;
  /** UI calls (showToast, hideToast, showModal, ...) and recorded no-ops, oldest first. */
  history(api?: string): WxRecord[];
  clearHistory(): void;
  // ---- storage
  clearStorage(): void;
  storageSnapshot(): Record<string, unknown>;
  // ---- system
  setTheme(theme: Theme): void;
  getClipboard(): string;
  setClipboard(data: string): void;
  // ---- privacy
  /** needAuthorization: what getPrivacySetting reports; answer: how requirePrivacyAuthorize ends. */
  setPrivacy(state: {
    needAuthorization?: boolean;
    answer?: 'agree' | 'disagree' | 'pending';
  }): void;
  /**
   * The user agrees (official popup, or a tap on an agreePrivacyAuthorization button): no more
   * authorization needed, waiting calls go on. True if a decision was pending.
   */
  agreePrivacy(): boolean;
  disagreePrivacy(): boolean;
  // ---- Tool.native entry point
  /** Dispatch a Tool.native method (confirmModal, cancelModal, authorizeAllow, authorizeCancel). */
  native(method: string, data?: unknown): boolean;
}
