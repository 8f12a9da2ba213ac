/**
 * The app's configuration, resolved once at launch. The API origin comes from the build
 * (`__MP_API_BASE__`, the local server by default) and can be overridden per WeChat
 * environment (develop / trial / release) without touching code.
 */

export type EnvVersion = 'develop' | 'trial' | 'release';

export interface AppConfig {
  /** API origin without a trailing slash, e.g. http://127.0.0.1:3000 */
  apiBase: string;
  /** WebSocket URL of the chat room. */
  chatSocketUrl: string;
  env: string;
  envVersion: EnvVersion;
  version: string;
  /** Products per page in the list. */
  pageSize: number;
  /** Files above this size go through the resumable (chunked) upload. */
  resumableThresholdBytes: number;
}

/**
 * Per-environment overrides. Empty by default: every environment talks to the origin the build
 * was made for. A fork sets e.g. `release: { apiBase: 'https://api.example.com' }`.
 */
export const ENVIRONMENT_OVERRIDES: Partial<Record<EnvVersion, Partial<AppConfig>>> = {};

export interface ConfigInputs {
  apiBase: string;
  env: string;
  version: string;
  envVersion?: string;
  overrides?: Partial<Record<EnvVersion, Partial<AppConfig>>>;
}

function toEnvVersion(value: string | undefined): EnvVersion {
  return value === 'trial' || value === 'release' ? value : 'develop';
}

/** http(s)://host → ws(s)://host/ws/chat */
export function chatSocketUrlFor(apiBase: string): string {
  return `${apiBase.replace(/^http/, 'ws')}/ws/chat`;
}

export function resolveConfig(inputs: ConfigInputs): AppConfig {
  const envVersion = toEnvVersion(inputs.envVersion);
  const override = (inputs.overrides ?? ENVIRONMENT_OVERRIDES)[envVersion] ?? {};
  const apiBase = (override.apiBase ?? inputs.apiBase).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(apiBase)) {
    throw new Error(`config: apiBase must be an http(s) origin, got "${apiBase}"`);
  }
  return {
    apiBase,
    chatSocketUrl: override.chatSocketUrl ?? chatSocketUrlFor(apiBase),
    env: inputs.env,
    envVersion,
    version: inputs.version,
    pageSize: override.pageSize ?? 20,
    resumableThresholdBytes: override.resumableThresholdBytes ?? 4 * 1024 * 1024,
  };
}

/** Reads the build-time globals and the running environment. */
export function loadConfig(): AppConfig {
  let envVersion: string | undefined;
  try {
    envVersion = wx.getAccountInfoSync().miniProgram.envVersion;
  } catch (_error) {
    envVersion = undefined; // older base libraries or a host without account info
  }
  return resolveConfig({
    apiBase: __MP_API_BASE__,
    env: __MP_ENV__,
    version: __MP_VERSION__,
    envVersion,
  });
}
