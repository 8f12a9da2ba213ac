/**
 * The UI policy for errors, kept apart from the errors themselves. By `showError`, then the
 * envelope's showType (0 silent · 1 warn · 2 error · 4 modal · 9 error page), then the error kind,
 * a failure shows nothing, a toast, a modal, a modal with Retry (which re-runs the request), or
 * navigates to the error page. A burst of failures shows one message (coalescing window); a
 * cancelled request never shows anything. Loading indicators are reference-counted.
 */
import { isAppError, type AppError, type AppErrorKind } from './errors';
import './error-messages';
import { defaultWx, type FeedbackWx } from './http-ports';
import { t } from './i18n';
import { withDefaults } from './options';
import type { Middleware, Next } from './pipeline';
import type { ErrorUi, RequestContext } from './request-context';

/** The user-facing text: the server's own message when it sent one, else ours by kind. */
export function userMessageFor(error: AppError): string {
  if (error.serverMessage) return error.serverMessage;
  return t(`error.${error.kind}`, { status: error.status || 0 });
}

export const DEFAULT_KIND_UI: Readonly<Record<AppErrorKind, ErrorUi>> = {
  network: 'toast',
  timeout: 'toast',
  offline: 'toast',
  http: 'toast',
  business: 'toast',
  auth: 'toast',
  cancelled: 'none',
  parse: 'toast',
};

export interface ErrorPolicyOptions {
  wx?: FeedbackWx;
  /** Route of the error page (showType 9). Default '/pages/error/index'. */
  errorPageRoute?: string;
  /** Failures within this window after a shown message stay silent. Default 2000 ms. */
  coalesceMs?: number;
  kindUi?: Partial<Record<AppErrorKind, ErrorUi>>;
  now?: () => number;
}

/** The envelope's showType: 0 silent · 1 warn · 2 error · 4 modal · 9 error page. */
const SHOW_TYPE_UI: Partial<Record<number, ErrorUi>> = {
  0: 'none',
  1: 'toast',
  2: 'toast',
  4: 'modal',
  9: 'page',
};

export function decideUi(
  error: AppError,
  showError: RequestContext['options']['showError'],
  kindUi: Record<AppErrorKind, ErrorUi>,
): ErrorUi {
  if (error.kind === 'cancelled' || showError === false) return 'none';
  if (typeof showError === 'string') return showError;
  const byShowType = error.showType === undefined ? undefined : SHOW_TYPE_UI[error.showType];
  return byShowType || kindUi[error.kind];
}

/** wx.showLoading on the first holder, wx.hideLoading when the last one releases. */
export class LoadingCounter {
  private holders = 0;
  constructor(private readonly wx?: FeedbackWx) {}

  get count(): number {
    return this.holders;
  }

  /** Never throws: a broken loading UI must not fail the request it decorates. */
  acquire(title = t('error.loading')): () => void {
    if (this.holders++ === 0) this.call((api) => api.showLoading({ title, mask: false }));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.holders === 0) this.call((api) => api.hideLoading());
    };
  }

  private call(show: (api: FeedbackWx) => void): void {
    try {
      show(this.wx || defaultWx<FeedbackWx>());
    } catch {
      // No loading UI this time; the count stays right for the next one.
    }
  }
}

const DEFAULTS = { errorPageRoute: '/pages/error/index', coalesceMs: 2000, now: Date.now };

export class ErrorPolicy {
  private lastShownAt = Number.NEGATIVE_INFINITY;
  private modalOpen = false;
  private readonly kindUi: Record<AppErrorKind, ErrorUi>;
  private readonly now: () => number;
  private readonly options: typeof DEFAULTS & ErrorPolicyOptions;
  readonly loading: LoadingCounter;
  /** Messages held back by the coalescing window (for tests and the monitor page). */
  suppressed = 0;

  constructor(options: ErrorPolicyOptions = {}) {
    this.options = withDefaults(DEFAULTS, options);
    this.kindUi = { ...DEFAULT_KIND_UI, ...options.kindUi };
    this.now = this.options.now;
    this.loading = new LoadingCounter(options.wx);
  }

  private get wx(): FeedbackWx {
    return this.options.wx || defaultWx<FeedbackWx>();
  }

  /** Whether a new message may show now (one per burst). */
  private admit(): boolean {
    if (this.modalOpen || this.now() - this.lastShownAt < this.options.coalesceMs) {
      this.suppressed++;
      return false;
    }
    this.lastShownAt = this.now();
    return true;
  }

  /**
   * Shows `error` as the policy says. Resolves true only when the user chose Retry.
   * Never rejects: a broken UI call must not change the request's outcome.
   */
  async present(
    error: AppError,
    showError: RequestContext['options']['showError'],
  ): Promise<boolean> {
    const ui = decideUi(error, showError, this.kindUi);
    if (ui === 'none' || !this.admit()) return false;
    const message = error.userMessage || userMessageFor(error);
    try {
      if (ui === 'toast') {
        this.wx.showToast({
          title: message,
          icon: error.showType === 1 ? 'none' : 'error',
          duration: 2000,
        });
        return false;
      }
      if (ui === 'page') {
        const query = `kind=${error.kind}&code=${encodeURIComponent(error.code || '')}&traceId=${encodeURIComponent(error.traceId || '')}`;
        this.wx.navigateTo({
          url: `${this.options.errorPageRoute}?${query}`,
        });
        return false;
      }
      return await this.modal(message, ui === 'retry');
    } catch {
      return false;
    }
  }

  private modal(message: string, withRetry: boolean): Promise<boolean> {
    this.modalOpen = true;
    return new Promise<boolean>((resolve) => {
      const close = (retry: boolean): void => {
        this.modalOpen = false;
        this.lastShownAt = this.now();
        resolve(retry);
      };
      try {
        this.wx.showModal({
          title: t('error.title'),
          content: message,
          showCancel: withRetry,
          confirmText: withRetry ? t('error.retry') : undefined,
          cancelText: withRetry ? t('error.cancel') : undefined,
          success: (result) => close(withRetry && result.confirm),
          fail: () => close(false),
        });
      } catch {
        // A modal that never opened must not keep every later message silent.
        close(false);
      }
    });
  }
}

/**
 * Pipeline stage: loading indicator around the request, the user message on every AppError, and
 * the UI policy (unless `skipErrorHandler`). Retry from the modal re-runs the inner stages.
 */
const noop = (): void => undefined;

export function errorPolicyStage(policy: ErrorPolicy | undefined): Middleware<RequestContext> {
  async function handle(
    ctx: RequestContext,
    next: Next<RequestContext>,
    caught: unknown,
  ): Promise<void> {
    if (!isAppError(caught)) throw caught;
    caught.userMessage = caught.userMessage || userMessageFor(caught);
    if (!policy || ctx.options.skipErrorHandler) throw caught;
    const retry = await policy.present(caught, ctx.options.showError);
    if (!retry) throw caught;
    ctx.response = undefined;
    ctx.notModified = false;
    return run(ctx, next);
  }
  function run(ctx: RequestContext, next: Next<RequestContext>): Promise<void> {
    const loading = ctx.options.loading;
    const release =
      loading && policy
        ? policy.loading.acquire(typeof loading === 'string' ? loading : undefined)
        : noop;
    return next(ctx).then(release, (caught: unknown) => {
      // The spinner goes before the message shows (wx shows one of them at a time).
      release();
      return handle(ctx, next, caught);
    });
  }
  return run;
}
