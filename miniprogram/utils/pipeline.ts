/**
 * Onion composition (Koa / umi-request style). Unlike Koa, `next` may be called more than once
 * (retry, the retry modal) and with another context (dedupe and stale-while-revalidate run the
 * inner stages for a shared or background context). `next` takes the context explicitly, so the
 * `next` functions are made once per pipeline, not once per request.
 */

export type Next<C> = (ctx: C) => Promise<void>;
export type Middleware<C> = (ctx: C, next: Next<C>) => Promise<void>;

export function compose<C>(stages: ReadonlyArray<Middleware<C>>): (ctx: C) => Promise<void> {
  const dispatch = (index: number, ctx: C): Promise<void> => {
    const stage = stages[index];
    try {
      return stage ? stage(ctx, nexts[index]) : Promise.resolve();
    } catch (error) {
      // A stage that throws synchronously still yields a settled promise.
      return Promise.reject(error);
    }
  };
  const nexts = stages.map((_, index) => (ctx: C) => dispatch(index + 1, ctx));
  return (ctx) => dispatch(0, ctx);
}
