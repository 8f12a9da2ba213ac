import path from 'node:path';
import {
  DEFAULT_OPTIONS,
  REPO_ROOT,
  optionsFromEnv,
  resolveOptions,
} from '../../../server/src/config';

describe('configuration from the environment', () => {
  it('defaults: loopback, port 3000, .data under the repo, dev provider, dev routes on', () => {
    const options = resolveOptions(optionsFromEnv({}));
    expect(options).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      devRoutes: true,
      production: false,
    });
    expect(options.dataDir).toBe(path.join(REPO_ROOT, '.data'));
    expect(options.wechat).toBeUndefined();
    expect(REPO_ROOT).toBe(path.resolve(__dirname, '..', '..', '..'));
  });

  it('reads every documented variable', () => {
    const options = resolveOptions(
      optionsFromEnv({
        PORT: '0',
        HOST: '::1',
        DATA_DIR: 'some/dir',
        NODE_ENV: 'production',
        WECHAT_APPID: 'wx1',
        WECHAT_SECRET: 's',
        WECHAT_API_BASE: 'http://127.0.0.1:9/',
        TOKEN_TTL: '60',
        LOG_LEVEL: 'warn',
      }),
    );
    expect(options).toMatchObject({
      port: 0,
      host: '::1',
      dataDir: path.resolve('some/dir'),
      production: true,
      devRoutes: false,
      tokenTtlMs: 60_000,
      logLevel: 'warn',
      wechat: { appId: 'wx1', secret: 's', apiBase: 'http://127.0.0.1:9' },
    });
    expect(options.loginRateLimit.max).toBeLessThan(DEFAULT_OPTIONS.loginRateLimit.max);
    expect(resolveOptions(optionsFromEnv({ LOGIN_RATE_LIMIT: '5' })).loginRateLimit.max).toBe(5);
    expect(options.chatConnectRateLimit.max).toBeLessThan(DEFAULT_OPTIONS.chatConnectRateLimit.max);
    expect(
      resolveOptions(optionsFromEnv({ CHAT_CONNECT_RATE_LIMIT: '7' })).chatConnectRateLimit,
    ).toEqual({ max: 7, windowMs: 60_000 });
  });

  it('refuses nonsense numbers', () => {
    expect(() => optionsFromEnv({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => optionsFromEnv({ TOKEN_TTL: '-1' })).toThrow(/TOKEN_TTL/);
    expect(() => optionsFromEnv({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
    expect(() => optionsFromEnv({ CHAT_CONNECT_RATE_LIMIT: 'lots' })).toThrow(
      /CHAT_CONNECT_RATE_LIMIT/,
    );
  });
});
