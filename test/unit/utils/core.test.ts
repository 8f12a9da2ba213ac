import {
  CancelGroup,
  CancelSource,
  linkSignals,
  linkSignalsDisposable,
} from '../../../miniprogram/utils/cancel';
import { AppError, isCancelled, toAppError } from '../../../miniprogram/utils/errors';
import { defaultWx } from '../../../miniprogram/utils/http-ports';
import {
  createIdempotencyKey,
  createRequestId,
  createTraceId,
} from '../../../miniprogram/utils/ids';
import { compose, type Middleware } from '../../../miniprogram/utils/pipeline';

describe('pipeline', () => {
  it('runs stages as an onion; next may run more than once and with another context', async () => {
    const log: string[] = [];
    type Ctx = { name: string };
    const stages: Array<Middleware<Ctx>> = [
      async (ctx, next) => {
        log.push(`in ${ctx.name}`);
        await next(ctx);
        await next({ name: 'other' });
        log.push('out');
      },
      async (ctx) => void log.push(`core ${ctx.name}`),
    ];
    await compose(stages)({ name: 'a' });
    expect(log).toEqual(['in a', 'core a', 'core other', 'out']);
  });

  it('resolves when the innermost stage calls next', async () => {
    await expect(compose<object>([(ctx, next) => next(ctx)])({})).resolves.toBeUndefined();
  });

  it('turns a synchronous throw into a rejection', async () => {
    const run = compose<object>([
      () => {
        throw new Error('sync');
      },
    ]);
    await expect(run({})).rejects.toThrow('sync');
  });
});

describe('cancellation', () => {
  it('links signals, disposes links without aborting, and groups are reusable', () => {
    const parent = new CancelSource();
    const linked = linkSignals(parent.signal, undefined);
    parent.cancel('why');
    expect(linked.signal.aborted).toBe(true);
    expect(linked.signal.reason).toBe('why');
    const late = jest.fn();
    linked.signal.onAbort(late);
    expect(late).toHaveBeenCalledWith('why');

    const page = new CancelGroup();
    const link = linkSignalsDisposable(page.signal);
    link.dispose();
    page.cancelAll();
    expect(link.source.signal.aborted).toBe(false);
    const next = linkSignalsDisposable(page.signal);
    page.cancelAll('unload');
    expect(next.source.signal.reason).toBe('unload');
    const off = new CancelSource().signal.onAbort(() => undefined);
    off();
  });
});

describe('errors and ids', () => {
  it('wraps anything thrown into an AppError', () => {
    const app = new AppError({ kind: 'cancelled' });
    expect(toAppError(app)).toBe(app);
    expect(isCancelled(app)).toBe(true);
    expect(toAppError(new Error('x'))).toMatchObject({ kind: 'network', message: 'x' });
    expect(toAppError('plain', 'parse')).toMatchObject({ kind: 'parse', message: 'plain' });
    // A wx fail result keeps its errMsg (not "[object Object]") and stays the cause.
    const fail = { errMsg: 'uploadFile:fail interrupted' };
    expect(toAppError(fail)).toMatchObject({ message: fail.errMsg, cause: fail });
    expect(toAppError(null).message).toBe('null');
    expect(new AppError({ kind: 'http', serverMessage: 'srv' }).message).toBe('srv');
  });

  it('creates unique request ids, 128-bit trace ids and v4-shaped idempotency keys', () => {
    const ids = new Set(Array.from({ length: 1000 }, createRequestId));
    expect(ids.size).toBe(1000);
    expect(createTraceId()).toMatch(/^[0-9a-f]{32}$/);
    expect(createIdempotencyKey()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('explains a missing global wx', () => {
    expect(() => defaultWx()).toThrow('wx is not available');
  });
});
