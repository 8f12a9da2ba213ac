/**
 * Login state done right (what weRequest gets wrong):
 * - wx.checkSession at most once per app lifecycle, only when a stored session exists;
 * - single flight: N callers without a session share ONE wx.login + ONE code-for-session call,
 *   and when that fails every waiter is rejected (none hangs);
 * - a generation number: a late 401 for an old session never discards a newer one;
 * - a cap on logins per time window so a server that always says 401 cannot loop us;
 * - `logout()` clears the session and tells listeners (http.ts cancels requests, clears cache).
 */
import type { LoginReply } from '../../typings/api';
import type { CancelSignal } from './cancel';
import type { Session, SessionSource } from './contracts';
import { AppError, cancelledError, toAppError } from './errors';
import { defaultWx, type LoginWx } from './http-ports';
import type { Middleware, Next } from './pipeline';
import type { RequestContext } from './request-context';
import { SafeStorage } from './storage';
import { withDefaults } from './options';

export interface SessionManagerOptions {
  /** Trades a wx.login code for a session (POST /api/auth/login). */
  exchange: (code: string) => Promise<LoginReply>;
  wx?: LoginWx;
  storage?: SafeStorage;
  /** Storage key of the persisted session. Default 'mp.session'. */
  storageKey?: string;
  /** Treat a session as expired this long before its expiry. Default 30 s. */
  expirySkewMs?: number;
  /** At most this many logins per `loginWindowMs` (default 3 per 60 s). */
  maxLogins?: number;
  loginWindowMs?: number;
  /**
   * wx.login gets this long to answer before every waiter is rejected; wx.checkSession as long
   * before the stored session is used unchecked. Default 15 s.
   */
  loginTimeoutMs?: number;
  now?: () => number;
}

/** A persisted session (the Session shape) that can be trusted. */
function isStoredSession(value: unknown): value is Session {
  const v = value as Session | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.token === 'string' &&
    v.token !== '' &&
    typeof v.expiresAt === 'number' &&
    typeof v.generation === 'number' &&
    (v.userId === undefined || typeof v.userId === 'string')
  );
}

function waitOrCancel<T>(promise: Promise<T>, signal?: CancelSignal): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const unsubscribe = signal.onAbort((reason) => reject(cancelledError(reason)));
    promise.then(
      (value) => {
        unsubscribe();
        resolve(value);
      },
      (error: unknown) => {
        unsubscribe();
        reject(error);
      },
    );
  });
}

const DEFAULTS = {
  storageKey: 'mp.session',
  expirySkewMs: 30_000,
  maxLogins: 3,
  loginWindowMs: 60_000,
  loginTimeoutMs: 15_000,
  now: Date.now,
};

type Listener = (session: Session | undefined) => void;

/** Adds `listener` to `set`; returns its unsubscribe. */
function listen(set: Set<Listener>, listener: Listener): () => void {
  set.add(listener);
  return () => {
    set.delete(listener);
  };
}

export class SessionManager implements SessionSource {
  private session?: Session;
  private generation = 0;
  private checked = false;
  private flight?: Promise<Session>;
  /** Bumped by logout: a login that started before it must not bring the session back. */
  private epoch = 0;
  private loginTimes: number[] = [];
  private readonly changeListeners = new Set<Listener>();
  private readonly logoutListeners = new Set<Listener>();
  private readonly options: typeof DEFAULTS & SessionManagerOptions;
  private readonly storage: SafeStorage;
  private readonly key: string;
  private readonly now: () => number;
  /** wx.login calls made (for the monitor and the login-storm benchmark). */
  logins = 0;

  constructor(options: SessionManagerOptions) {
    this.options = withDefaults(DEFAULTS, options);
    this.key = this.options.storageKey;
    this.now = this.options.now;
    this.storage = options.storage || new SafeStorage();
    const stored = this.storage.read(this.key);
    if (isStoredSession(stored)) {
      this.session = { ...stored };
      this.generation = stored.generation;
    } else if (stored !== undefined) {
      this.storage.remove(this.key); // corrupt or foreign: drop, never crash
    }
  }

  private get wx(): LoginWx {
    return this.options.wx || defaultWx<LoginWx>();
  }

  private valid(session: Session | undefined): session is Session {
    return !!session && session.expiresAt - this.options.expirySkewMs > this.now();
  }

  current(): Session | undefined {
    return this.valid(this.session) ? this.session : undefined;
  }

  /** The session when `ensure()` would return it at once (valid and checked): a sync fast path. */
  ready(): Session | undefined {
    return this.checked ? this.current() : undefined;
  }

  ensure(signal?: CancelSignal): Promise<Session> {
    if (signal && signal.aborted) return Promise.reject(cancelledError(signal.reason));
    const session = this.current();
    if (session && this.checked) return Promise.resolve(session);
    if (!this.flight) {
      const flight = this.acquire();
      this.flight = flight;
      const clear = (): void => {
        if (this.flight === flight) this.flight = undefined;
      };
      flight.then(clear, clear);
    }
    return waitOrCancel(this.flight, signal);
  }

  /** One shared run: check the stored session once, else log in. */
  private async acquire(): Promise<Session> {
    const stored = this.current();
    if (stored && !this.checked) {
      this.checked = true;
      if (await this.checkSession()) return stored;
      this.drop();
    }
    this.checked = true;
    return this.login();
  }

  private checkSession(): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const answer = (valid: boolean): void => {
        clearTimeout(timer);
        resolve(valid);
      };
      // No answer in time: keep the stored token (the server still checks it; a 401 re-logs in)
      // rather than leave every request waiting on the check.
      const timer = setTimeout(() => answer(true), this.options.loginTimeoutMs);
      try {
        this.wx.checkSession({ success: () => answer(true), fail: () => answer(false) });
      } catch {
        answer(false);
      }
    });
  }

  private wxLogin(): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const fail = (cause: unknown): void => {
        clearTimeout(timer);
        reject(new AppError({ kind: 'auth', message: 'wx.login failed', cause }));
      };
      // A wx.login that never answers must not leave the waiters pending forever.
      const timer = setTimeout(
        () => fail(new AppError({ kind: 'timeout', message: 'wx.login timed out' })),
        this.options.loginTimeoutMs,
      );
      try {
        this.wx.login({
          success: (result) => {
            if (!result.code) return fail(result);
            clearTimeout(timer);
            resolve(result.code);
          },
          fail,
        });
      } catch (error) {
        fail(error);
      }
    });
  }

  private async login(): Promise<Session> {
    const now = this.now();
    const { loginWindowMs, maxLogins } = this.options;
    this.loginTimes = this.loginTimes.filter((at) => now - at < loginWindowMs);
    if (this.loginTimes.length >= maxLogins) {
      throw new AppError({ kind: 'auth', message: 'too many logins: re-login loop stopped' });
    }
    this.loginTimes.push(now);
    this.logins++;
    const epoch = this.epoch;
    const code = await this.wxLogin();
    let reply: LoginReply;
    try {
      reply = await this.options.exchange(code);
    } catch (error) {
      throw toAppError(error, 'auth');
    }
    if (!reply || typeof reply.token !== 'string' || typeof reply.expiresAt !== 'number') {
      throw new AppError({ kind: 'parse', message: 'login reply has no token', cause: reply });
    }
    const session: Session = {
      token: reply.token,
      expiresAt: reply.expiresAt,
      generation: ++this.generation,
      userId: reply.user && reply.user.id,
    };
    if (epoch !== this.epoch)
      throw new AppError({ kind: 'cancelled', message: 'logged out during login' });
    this.session = session;
    this.storage.write(this.key, session);
    this.emit(session);
    return session;
  }

  invalidate(generation: number): void {
    // Only the session the server refused goes; a newer one stays (the stale-401 guard).
    if (!this.session || this.session.generation !== generation) return;
    this.drop();
    this.emit(undefined);
  }

  logout(): void {
    this.epoch++;
    const previous = this.session;
    this.drop();
    this.flight = undefined;
    this.emit(undefined);
    for (const listener of [...this.logoutListeners]) listener(previous);
  }

  private drop(): void {
    this.session = undefined;
    this.storage.remove(this.key);
  }

  private emit(session: Session | undefined): void {
    for (const listener of [...this.changeListeners]) listener(session);
  }

  onChange(listener: Listener): () => void {
    return listen(this.changeListeners, listener);
  }

  /** Called on `logout()` with the session that ended. */
  onLogout(listener: Listener): () => void {
    return listen(this.logoutListeners, listener);
  }
}

export interface SessionStageOptions {
  /** Re-logins one request may trigger (then its auth error surfaces). Default 1. */
  reloginLimit?: number;
  now?: () => number;
}

/** Pipeline stage: adds `Authorization: Bearer`, re-logs in once on an auth error. */
export function sessionStage(
  sessions: SessionSource,
  { reloginLimit: limit = 1, now = Date.now }: SessionStageOptions = {},
): Middleware<RequestContext> {
  // The header string is built once per token, not once per request.
  let lastToken = '';
  let lastHeader = '';
  // Anonymous requests pass straight through (no extra promise on their path).
  return (ctx, next) => (ctx.options.auth === false ? next(ctx) : withSession(ctx, next));

  // Then-chains rather than an async loop: with a ready session a request costs one promise.
  function withSession(
    ctx: RequestContext,
    next: Next<RequestContext>,
    relogins = 0,
  ): Promise<void> {
    const ready = sessions instanceof SessionManager ? sessions.ready() : undefined;
    if (ready) return send(ctx, next, ready, relogins);
    const started = now();
    return sessions.ensure(ctx.signal).then((session) => {
      ctx.timings.loginMs += now() - started;
      return send(ctx, next, session, relogins);
    });
  }

  function send(
    ctx: RequestContext,
    next: Next<RequestContext>,
    session: Session,
    relogins: number,
  ): Promise<void> {
    if (session.token !== lastToken) {
      lastToken = session.token;
      lastHeader = `Bearer ${session.token}`;
    }
    ctx.header['Authorization'] = lastHeader;
    ctx.generation = session.generation;
    if (session.userId) ctx.user = session.userId;
    return next(ctx).then(undefined, (error: unknown) => {
      const authFailure = error instanceof AppError && error.kind === 'auth';
      if (!authFailure || relogins >= limit) throw error;
      sessions.invalidate(session.generation);
      return withSession(ctx, next, relogins + 1);
    });
  }
}
