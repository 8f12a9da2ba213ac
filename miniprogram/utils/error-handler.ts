/**
 * The UI policy for errors, kept apart from the errors themselves. By `showError`, then the
 * envelope's showType (0 silent · 1 warn · 2 error · 4 modal · 9 error page), then the error kind,
 * a failure shows nothing, a toast, a modal, a modal with Retry (which re-runs the request), or
 * navigates to the error page. A burst of failures shows one message (coalescing window); a
 * cancelled request never shows anything. Loading indicators are reference-counted.
 */
import { isAppError, type AppError } from './errors';
import './error-messages';
import { defaultWx, type FeedbackWx } from './http-ports';
import { t } from './i18n';
import { withDefaults } from './options';
import type { Middleware, Next } from './pipeline';
import type { ErrorUi, RequestContext } from './request-context';

/** The user-facing text: the server's own message when it sent one, else ours by kind. */
export function userMessageFor(error: AppError): string {
  return error.serverMessage || t(`error.${error.kind}`, { status: error.status || 0 });
}

/** The envelope's showType: 0 silent · 1 warn · 2 error · 4 modal · 9 error page (1, 2: toast). */
const SHOW_TYPE_UI: Partial<Record<number, ErrorUi>> = { 0: 'none', 4: 'modal', 9: 'page' };

/** Cancelled work never shows; without a showError or showType, every other kind is a toast. */
export function decideUi(
  error: AppError,
  showError: RequestContext['options']['showError'],
): ErrorUi {
  if (error.kind === 'cancelled' || showError === false) return 'none';
  if (typeof showError === 'string') return showError;
  return SHOW_TYPE_UI[error.showType as number] || 'toast';
}

export interface ErrorPolicyOptions {
  wx?: FeedbackWx;
  /** Route of the error page (showType 9). Default '/pages/error/index'. */
  errorPageRoute?: string;
  /** Failures within this window after a shown message stay silent. Default 2000 ms. */
  coalesceMs?: number;
  now?: () => number;
}

const DEFAULTS = { errorPageRoute: '/pages/error/index', coalesceMs: 2000, now: Date.now };

const query = (value?: string): string => encodeURIComponent(value || '');

export class ErrorPolicy {
  /** Messages held back by the coalescing window (for tests and the monitor page). */
  suppressed = 0;
  /** Requests holding the loading indicator now. */
  loadingCount = 0;
  /** Messages stay silent until then: the coalescing window after one shows, Infinity while a modal is open. */
  private quietUntil = 0;
  private readonly options: typeof DEFAULTS & ErrorPolicyOptions;

  constructor(options: ErrorPolicyOptions = {}) {
    this.options = withDefaults(DEFAULTS, options);
  }

  /**
   * wx.showLoading for the first holder, wx.hideLoading when the last one releases. The returned
   * release is idempotent.
   */
  acquireLoading(title = t('error.loading')): () => void {
    if (this.loadingCount++ === 0) this.callWx((wx) => wx.showLoading({ title }));
    let held = true;
    return () => {
      if (held && --this.loadingCount === 0) this.callWx((wx) => wx.hideLoading());
      held = false;
    };
  }

  /**
   * Shows `error` as the policy says. Resolves true only when the user chose Retry.
   * Never rejects: a broken UI call must not change the request's outcome.
   */
  async present(
    error: AppError,
    showError: RequestContext['options']['showError'],
  ): Promise<boolean> {
    const ui = decideUi(error, showError);
    if (ui === 'none') return false;
    if (this.options.now() < this.quietUntil) {
      this.suppressed++;
      return false;
    }
    this.quiet();
    const message = error.userMessage || userMessageFor(error);
    if (ui === 'toast') {
      this.callWx((wx) =>
        wx.showToast({
          title: message,
          icon: error.showType === 1 ? 'none' : 'error',
          duration: 2000,
        }),
      );
      return false;
    }
    if (ui === 'page') {
      const url = `${this.options.errorPageRoute}?kind=${error.kind}&code=${query(error.code)}&traceId=${query(error.traceId)}`;
      this.callWx((wx) => wx.navigateTo({ url }));
      return false;
    }
    const withRetry = ui === 'retry';
    this.quietUntil = Infinity;
    return new Promise<boolean>((resolve) => {
      const close = (retry: boolean): void => {
        this.quiet();
        resolve(retry);
      };
      const opened = this.callWx((wx) =>
        wx.showModal({
          content: message,
          showCancel: withRetry,
          confirmText: withRetry ? t('error.retry') : undefined,
          // Only shown with showCancel.
          cancelText: t('error.cancel'),
          success: (result) => close(withRetry && result.confirm),
          fail: () => close(false),
        }),
      );
      // A modal that never opened must not keep every later message silent.
      if (!opened) close(false);
    });
  }

  /** Holds later messages back for the coalescing window from now. */
  private quiet(): void {
    this.quietUntil = this.options.now() + this.options.coalesceMs;
  }

  /** Whether the call went through: a broken UI never fails the request it decorates. */
  private callWx(call: (wx: FeedbackWx) => void): boolean {
    try {
      call(this.options.wx || defaultWx<FeedbackWx>());
      return true;
    } catch {
      return false;
    }
  }
}

const noop = (): void => undefined;

/**
 * Pipeline stage: loading indicator around the request and the UI policy on every AppError
 * (unless `skipErrorHandler`). Retry from the modal re-runs the inner stages.
 */
export function errorPolicyStage(policy: ErrorPolicy | undefined): Middleware<RequestContext> {
  function run(ctx: RequestContext, next: Next<RequestContext>): Promise<void> {
    const { loading } = ctx.options;
    const release =
      loading && policy
        ? policy.acquireLoading(typeof loading === 'string' ? loading : undefined)
        : noop;
    return next(ctx).then(release, async (caught: unknown) => {
      // The spinner goes before the message shows (wx shows one of them at a time).
      release();
      const { showError, skipErrorHandler } = ctx.options;
      const retry =
        policy &&
        !skipErrorHandler &&
        isAppError(caught) &&
        (await policy.present(caught, showError));
      if (!retry) throw caught;
      ctx.response = undefined;
      ctx.notModified = false;
      return run(ctx, next);
    });
  }
  return run;
}
