/**
 * Login state done right (what weRequest gets wrong):
 * - wx.checkSession at most once per app lifecycle, only when a stored session exists;
 * - single flight: N callers without a session share ONE wx.login + ONE code-for-session call,
 *   and when that fails every waiter is rejected (none hangs, wx gets a time limit);
 * - a generation number: a late 401 for an old session never discards a newer one;
 * - a cap on logins per minute so a server that always says 401 cannot loop us;
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

export interface SessionManagerOptions {
  /** Trades a wx.login code for a session (POST /api/auth/login). */
  exchange: (code: string) => Promise<LoginReply>;
  wx?: LoginWx;
  storage?: SafeStorage;
  now?: () => number;
}

const STORAGE_KEY = 'mp.session';
/** A session counts as expired this long before its expiry (the request still has to travel). */
const EXPIRY_SKEW_MS = 30_000;
/** More logins than this in a minute: a server that always says 401 must not loop us. */
const MAX_LOGINS_PER_MINUTE = 3;
/**
 * wx.login gets this long to answer before every waiter is rejected; wx.checkSession as long
 * before the stored session is used unchecked.
 */
const LOGIN_TIMEOUT_MS = 15_000;

/** The one check for a session from outside: the stored one and the one built from a login reply. */
function isSession(v: Partial<Session> | undefined): v is Session {
  return (
    !!v &&
    typeof v.token === 'string' &&
    v.token !== '' &&
    typeof v.expiresAt === 'number' &&
    typeof v.generation === 'number' &&
    (v.userId === undefined || typeof v.userId === 'string')
  );
}

/**
 * Every listener hears every change; on logout the second argument carries the session that
 * ended (onLogout listeners wait for that one).
 */
type Listener = (session: Session | undefined, logout?: { ended?: Session }) => void;

export class SessionManager implements SessionSource {
  private session?: Session;
  private generation = 0;
  /** wx.checkSession ran (or there was nothing to check): once per app lifecycle. */
  private checked?: boolean;
  private flight?: Promise<Session>;
  private loginTimes: number[] = [];
  private readonly listeners = new Set<Listener>();
  private readonly storage: SafeStorage;
  private readonly now: () => number;

  constructor(private readonly options: SessionManagerOptions) {
    this.now = options.now || Date.now;
    this.storage = options.storage || new SafeStorage();
    const stored = this.storage.read(STORAGE_KEY) as Partial<Session> | undefined;
    if (isSession(stored)) {
      this.session = stored;
      this.generation = stored.generation;
    } else {
      this.storage.remove(STORAGE_KEY); // corrupt or foreign: drop, never crash
    }
  }

  current(): Session | undefined {
    const session = this.session;
    return session && session.expiresAt - EXPIRY_SKEW_MS > this.now() ? session : undefined;
  }

  /** The session when `ensure()` would return it at once (valid and checked): a sync fast path. */
  ready(): Session | undefined {
    return this.checked ? this.current() : undefined;
  }

  ensure(signal?: CancelSignal): Promise<Session> {
    if (signal && signal.aborted) return Promise.reject(cancelledError(signal.reason));
    const ready = this.ready();
    if (ready) return Promise.resolve(ready);
    // Joins the run in flight or starts one; a run ends itself unless logout replaced it.
    const shared: Promise<Session> =
      this.flight ||
      (this.flight = this.acquire().finally(() => {
        if (this.flight === shared) this.flight = undefined;
      }));
    return signal
      ? new Promise<Session>((resolve, reject) => {
          const unsubscribe = signal.onAbort((reason) => reject(cancelledError(reason)));
          shared.then(resolve, reject).then(unsubscribe);
        })
      : shared;
  }

  /** One shared run: check the stored session once, else log in. */
  private async acquire(): Promise<Session> {
    const unchecked = this.checked ? undefined : this.current();
    this.checked = true;
    if (unchecked) {
      try {
        // A check that does not answer in time keeps the stored token (the server still checks
        // it; a 401 re-logs in) rather than leave every request waiting.
        await this.callWx('checkSession');
        return unchecked;
      } catch {
        this.set(undefined); // WeChat says it is gone
      }
    }
    const generation = this.generation;
    let reply: LoginReply;
    try {
      const now = this.now();
      const recent = this.loginTimes.filter((at) => now - at < 60_000);
      if (recent.length >= MAX_LOGINS_PER_MINUTE) throw new Error('re-login loop stopped');
      this.loginTimes = [...recent, now];
      const result = (await this.callWx('login')) as { code?: string } | undefined;
      if (!result || !result.code) throw new Error('wx.login gave no code in time');
      reply = await this.options.exchange(result.code);
    } catch (error) {
      // wx failures, the loop stop and plain errors of the exchange: auth errors (AppErrors stay).
      throw toAppError(error, 'auth');
    }
    // logout() bumps the generation: a login that started before it must not bring it back.
    if (generation !== this.generation) throw cancelledError('logout');
    const { token, expiresAt, user } = (reply || {}) as Partial<LoginReply>;
    const session = { token, expiresAt, generation: ++this.generation, userId: user && user.id };
    if (!isSession(session)) {
      throw new AppError({ kind: 'parse', message: 'bad login reply', cause: reply });
    }
    this.set(session);
    return session;
  }

  /**
   * Calls wx.login or wx.checkSession: resolves with its success result, rejects with its failure
   * (or what it threw), resolves undefined when it does not answer within the login timeout.
   */
  private callWx(method: keyof LoginWx): Promise<unknown> {
    let timer!: ReturnType<typeof setTimeout>; // set at once: the executor runs synchronously
    return new Promise<unknown>((resolve, reject) => {
      timer = setTimeout(resolve, LOGIN_TIMEOUT_MS);
      (this.options.wx || defaultWx<LoginWx>())[method]({ success: resolve, fail: reject });
    }).finally(() => clearTimeout(timer));
  }

  invalidate(generation: number): void {
    // Only the session the server refused goes; a newer one stays (the stale-401 guard).
    if (this.session && this.session.generation === generation) this.set(undefined);
  }

  logout(): void {
    this.generation++; // cancels a login in flight (see acquire)
    this.flight = undefined;
    this.set(undefined, { ended: this.session });
  }

  /** The one place the session changes: in memory, in storage, and the listeners are told. */
  private set(session: Session | undefined, logout?: { ended?: Session }): void {
    this.session = session;
    if (session) this.storage.write(STORAGE_KEY, session);
    else this.storage.remove(STORAGE_KEY);
    for (const listener of [...this.listeners]) listener(session, logout);
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Called on `logout()` with the session that ended. */
  onLogout(listener: (ended: Session | undefined) => void): () => void {
    return this.onChange((_, logout) => {
      if (logout) listener(logout.ended);
    });
  }
}

export interface SessionStageOptions {
  /** Re-logins one request may trigger (then its auth error surfaces). Default 1. */
  reloginLimit?: number;
  now?: () => number;
}

/** Pipeline stage: adds `Authorization: Bearer`, re-logs in once on an auth error. */
export function sessionStage(
  sessions: SessionManager,
  { reloginLimit: limit = 1, now = Date.now }: SessionStageOptions = {},
): Middleware<RequestContext> {
  return withSession;

  // Then-chains rather than an async loop: with a ready session a request costs one promise.
  function withSession(
    ctx: RequestContext,
    next: Next<RequestContext>,
    relogins = 0,
    session = sessions.ready(),
  ): Promise<void> {
    // Anonymous requests pass straight through (no extra promise on their path).
    if (ctx.options.auth === false) return next(ctx);
    if (!session) {
      const started = now();
      return sessions.ensure(ctx.signal).then((loggedIn) => {
        ctx.timings.loginMs += now() - started;
        return withSession(ctx, next, relogins, loggedIn);
      });
    }
    ctx.header['Authorization'] = 'Bearer ' + session.token;
    if (session.userId) ctx.user = session.userId;
    return next(ctx).catch((error: unknown) => {
      const authFailure = error instanceof AppError && error.kind === 'auth';
      if (!authFailure || relogins >= limit) throw error;
      sessions.invalidate(session.generation);
      return withSession(ctx, next, relogins + 1);
    });
  }
}
