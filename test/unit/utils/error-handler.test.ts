import { AppError } from '../../../miniprogram/utils/errors';
import { decideUi, ErrorPolicy } from '../../../miniprogram/utils/error-handler';
import { getLocale, setLocale, t } from '../../../miniprogram/utils/i18n';
import { createFakeWx } from '../fake-wx';
import { envelope, setup } from './helpers';

function policySetup(coalesceMs = 2000) {
  const fake = createFakeWx();
  let now = 0;
  const policy = new ErrorPolicy({ wx: fake.wx, coalesceMs, now: () => now });
  return { fake, policy, advance: (ms: number) => (now += ms) };
}

describe('error policy', () => {
  it('a burst of failures shows ONE toast', async () => {
    const { fake, client } = setup({ session: false });
    fake.server.on('GET', '*', { status: 404, data: '' });
    const failures = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        client.get(`/api/x/${i}`).catch((e: AppError) => e.kind),
      ),
    );
    expect(failures).toEqual(Array(10).fill('http'));
    expect(fake.ui.toasts).toHaveLength(1);
    expect(fake.ui.toasts[0].title).toBe('服务异常 404');
    expect(client.errorPolicy?.suppressed).toBe(9);
  });

  it('shows again once the coalescing window has passed', async () => {
    const { fake, policy, advance } = policySetup(1000);
    const error = new AppError({ kind: 'network' });
    await policy.present(error, undefined);
    advance(999);
    await policy.present(error, undefined);
    advance(1);
    await policy.present(error, undefined);
    expect(fake.ui.toasts).toHaveLength(2);
  });

  it('maps showType 0/1/2/4/9 to nothing, warn toast, error toast, modal and the error page', async () => {
    const { fake, policy, advance } = policySetup(0);
    const show = (showType: 0 | 1 | 2 | 4 | 9) =>
      policy.present(
        new AppError({
          kind: 'business',
          showType,
          serverMessage: `m${showType}`,
          code: 'X',
          traceId: 't1',
        }),
        undefined,
      );
    await show(0);
    await show(1);
    await show(2);
    advance(1);
    await show(4);
    advance(1);
    await show(9);
    expect(fake.ui.toasts).toEqual([
      { title: 'm1', icon: 'none', duration: 2000 },
      { title: 'm2', icon: 'error', duration: 2000 },
    ]);
    expect(fake.ui.modals).toEqual([expect.objectContaining({ content: 'm4', showCancel: false })]);
    expect(fake.ui.navigations).toEqual(['/pages/error/index?kind=business&code=X&traceId=t1']);
  });

  it('never shows cancelled errors, nor when showError is false or skipErrorHandler is set', async () => {
    expect(decideUi(new AppError({ kind: 'cancelled', showType: 4 }), 'modal')).toBe('none');
    expect(decideUi(new AppError({ kind: 'http' }), false)).toBe('none');
    expect(decideUi(new AppError({ kind: 'http', showType: 4 }), 'toast')).toBe('toast');
    const { fake, client } = setup({ session: false });
    fake.server.on('GET', '/api/x', { status: 404, data: '' });
    await client.get('/api/x', { skipErrorHandler: true }).catch(() => undefined);
    await client.get('/api/x', { showError: false }).catch(() => undefined);
    fake.server.on('GET', '/api/hang', { hang: true });
    const { CancelSource } = await import('../../../miniprogram/utils/cancel');
    const source = new CancelSource();
    const pending = client
      .get('/api/hang', { signal: source.signal })
      .catch((e: AppError) => e.kind);
    await new Promise((r) => setTimeout(r, 0));
    source.cancel();
    expect(await pending).toBe('cancelled');
    expect(fake.ui.toasts).toEqual([]);
  });

  it('a Retry modal re-runs the request; the caller gets the retried result', async () => {
    const { fake, client } = setup({ session: false });
    let calls = 0;
    fake.server.on('GET', '/api/x', () =>
      ++calls === 1 ? { status: 404, data: '' } : { data: envelope('second time') },
    );
    fake.ui.modalAnswers.push('confirm');
    await expect(client.get('/api/x', { showError: 'retry', loading: true })).resolves.toBe(
      'second time',
    );
    // Hidden before the modal, shown again for the re-run, hidden at the end.
    expect(fake.ui.loadingEvents).toEqual(['show', 'hide', 'show', 'hide']);
    expect(fake.ui.modals).toEqual([
      expect.objectContaining({ showCancel: true, confirmText: '重试' }),
    ]);
  });

  it('a cancelled Retry modal rejects with the original error', async () => {
    const { fake, client } = setup({ session: false });
    fake.server.on('GET', '/api/x', { status: 404, data: '' });
    fake.ui.modalAnswers.push('cancel');
    await expect(client.get('/api/x', { showError: 'retry' })).rejects.toMatchObject({
      status: 404,
    });
    expect(fake.server.log).toHaveLength(1);
  });

  it('while a modal is open further failures stay silent; a broken UI call does not change the outcome', async () => {
    const { fake, policy } = policySetup(0);
    (fake.wx as { showModal: unknown }).showModal = () => undefined; // never answers
    void policy.present(new AppError({ kind: 'http', showType: 4 }), undefined);
    await policy.present(new AppError({ kind: 'http' }), undefined);
    expect(fake.ui.toasts).toHaveLength(0);
    const broken = policySetup(0);
    (broken.fake.wx as { showToast: unknown }).showToast = () => {
      throw new Error('ui gone');
    };
    await expect(broken.policy.present(new AppError({ kind: 'network' }), undefined)).resolves.toBe(
      false,
    );
    const failing = policySetup(0);
    (failing.fake.wx as { showModal: unknown }).showModal = (o: {
      fail: (e: { errMsg: string }) => void;
    }) => o.fail({ errMsg: 'showModal:fail' });
    await expect(failing.policy.present(new AppError({ kind: 'network' }), 'retry')).resolves.toBe(
      false,
    );
    const throwing = policySetup(0);
    (throwing.fake.wx as { showModal: unknown }).showModal = () => {
      throw new Error('ui gone');
    };
    await expect(throwing.policy.present(new AppError({ kind: 'http' }), 'modal')).resolves.toBe(
      false,
    );
    // The modal never opened, so the next failure is not held back as if it were showing.
    await throwing.policy.present(new AppError({ kind: 'network' }), undefined);
    expect(throwing.fake.ui.toasts).toHaveLength(1);
  });

  it('a loading UI that throws neither fails the request nor breaks the count', async () => {
    const { fake, client } = setup({ session: false });
    fake.server.on('GET', '*', { data: envelope(1) });
    const showLoading = fake.wx.showLoading;
    (fake.wx as { showLoading: unknown }).showLoading = () => {
      throw new Error('ui gone');
    };
    await expect(client.get('/api/a', { loading: true })).resolves.toBe(1);
    expect(client.errorPolicy?.loadingCount).toBe(0);
    (fake.wx as { showLoading: unknown }).showLoading = showLoading;
    await client.get('/api/b', { loading: true });
    expect(fake.ui.loadingEvents.slice(-2)).toEqual(['show', 'hide']);
    expect(fake.ui.loadingVisible).toBe(false);
  });

  it('reference-counts the loading indicator', async () => {
    const { fake, client } = setup({ session: false });
    fake.server.on('GET', '*', { data: envelope(1), latency: 5 });
    const requests = [
      client.get('/api/a', { loading: true }),
      client.get('/api/b', { loading: '加载商品' }),
      client.get('/api/c', { loading: true }),
    ];
    expect(fake.ui.loadingVisible).toBe(true);
    await Promise.all(requests);
    expect(fake.ui.loadingEvents).toEqual(['show', 'hide']);
    expect(fake.ui.loadingVisible).toBe(false);
    const policy = new ErrorPolicy({ wx: fake.wx });
    const release = policy.acquireLoading();
    const other = policy.acquireLoading();
    release();
    release(); // idempotent: the other holder still holds it
    expect(policy.loadingCount).toBe(1);
    other();
    expect(policy.loadingCount).toBe(0);
  });

  it('uses the error page route from the options', async () => {
    const fake = createFakeWx();
    const policy = new ErrorPolicy({ wx: fake.wx, errorPageRoute: '/pages/oops/index' });
    await policy.present(new AppError({ kind: 'http' }), 'page');
    expect(fake.ui.navigations[0]).toMatch(/^\/pages\/oops\/index\?kind=http&code=&traceId=$/);
  });

  it('without an injected wx and no global one, showing and loading fail quietly', async () => {
    const policy = new ErrorPolicy();
    await expect(policy.present(new AppError({ kind: 'network' }), undefined)).resolves.toBe(false);
    const release = policy.acquireLoading();
    release();
    expect(policy.loadingCount).toBe(0);
  });

  it("shows the error's own user message when it has one, else the message of its kind", async () => {
    const { fake, policy } = policySetup(0);
    const error = new AppError({ kind: 'network' });
    error.userMessage = '自定义';
    await policy.present(error, undefined);
    await policy.present(new AppError({ kind: 'timeout' }), undefined);
    expect(fake.ui.toasts.map((toast) => toast.title)).toEqual(['自定义', '请求超时']);
  });
});

describe('error messages', () => {
  const kinds = ['network', 'timeout', 'offline', 'http', 'business', 'auth', 'cancelled', 'parse'];
  const keys = [
    ...kinds.map((kind) => `error.${kind}`),
    'error.retry',
    'error.cancel',
    'error.loading',
  ];

  it('are complete in zh-CN (the default) and English', () => {
    expect(getLocale()).toBe('zh-CN');
    const zh = keys.map((key) => t(key));
    setLocale('en');
    try {
      const en = keys.map((key) => t(key));
      for (const [index, key] of keys.entries()) {
        expect(zh[index]).not.toBe(key);
        expect(en[index]).not.toBe(key);
        expect(en[index]).not.toBe(zh[index]);
      }
      expect(t('error.http', { status: 503 })).toBe('The service is unavailable (503)');
    } finally {
      setLocale('zh-CN');
    }
    expect(t('error.http', { status: 503 })).toBe('服务异常 503');
    // An unknown key reads as itself; a placeholder without a value stays as written.
    expect(t('error.unknown')).toBe('error.unknown');
    expect(t('error.http', {})).toBe('服务异常 {status}');
  });
});
