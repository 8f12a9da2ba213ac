/**
 * "Wait until what a person would see" helpers. They poll the app (one protocol call costs a few
 * ms) instead of sleeping a fixed time, and time out with a message saying what was expected and
 * what was last seen.
 */
import type MiniProgram from 'miniprogram-automator/out/MiniProgram';
import type Page from 'miniprogram-automator/out/Page';
import type Element from 'miniprogram-automator/out/Element';

export interface WaitOptions {
  /** Default 10000 ms (only a failing wait ever takes that long). */
  timeout?: number;
  /** Poll interval, default 20 ms. */
  interval?: number;
  /** What is being waited for, for the timeout message. */
  message?: string;
}

export const DEFAULT_WAIT_MS = 10_000;

function describe(value: unknown): string {
  if (value instanceof Error) return `error: ${value.message}`;
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 600 ? text.slice(0, 600) + '…' : text;
  } catch {
    return String(value);
  }
}

/**
 * Calls `probe` until it returns something other than undefined/null/false and resolves with
 * it. Errors thrown by the probe count as "not yet" (the element may not exist yet) and are shown
 * if the wait times out.
 */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  options: WaitOptions = {},
): Promise<T> {
  const timeout = options.timeout ?? DEFAULT_WAIT_MS;
  const interval = options.interval ?? 20;
  const deadline = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value as T;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `Timed out after ${timeout} ms waiting for ${options.message ?? 'a condition'}; ` +
          `last seen ${describe(last)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/** Resolves with the first element matching `selector` (all of them with `count`). */
export async function waitForSelector(
  page: Page,
  selector: string,
  options: WaitOptions & { count?: number } = {},
): Promise<Element[]> {
  const count = options.count ?? 1;
  return waitFor(
    async () => {
      const elements = (await page.$$(selector)) as Element[];
      return elements.length >= count ? elements : undefined;
    },
    { ...options, message: options.message ?? `${count} × "${selector}" on ${page.path}` },
  );
}

/** Resolves when no element matches `selector` any more. */
export async function waitForGone(
  page: Page,
  selector: string,
  options: WaitOptions = {},
): Promise<void> {
  await waitFor(async () => ((await page.$$(selector)) as Element[]).length === 0, {
    ...options,
    message: options.message ?? `"${selector}" to disappear from ${page.path}`,
  });
}

function matches(text: string, expected: string | RegExp): boolean {
  return typeof expected === 'string' ? text.includes(expected) : expected.test(text);
}

/** Resolves with the first element matching `selector` whose text contains/matches `expected`. */
export async function waitForText(
  page: Page,
  selector: string,
  expected: string | RegExp,
  options: WaitOptions = {},
): Promise<Element> {
  let seen: string[] = [];
  try {
    return await waitFor(
      async () => {
        const elements = (await page.$$(selector)) as Element[];
        seen = await Promise.all(elements.map((element) => element.text()));
        const index = seen.findIndex((text) => matches(text, expected));
        return index >= 0 ? elements[index] : undefined;
      },
      { ...options, message: options.message ?? `"${selector}" with text ${String(expected)}` },
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; texts seen: ${describe(seen)}`);
  }
}

/** Resolves with the page data at `path` once `predicate` accepts it. */
export async function waitForData<T = unknown>(
  page: Page,
  path: string,
  predicate: (value: T) => boolean,
  options: WaitOptions = {},
): Promise<T> {
  let last: unknown;
  try {
    return await waitFor(
      async () => {
        const value = (await page.data(path)) as T;
        last = value;
        return predicate(value) ? { value } : undefined;
      },
      { ...options, message: options.message ?? `data "${path}" of ${page.path} to match` },
    ).then((box) => box.value);
  } catch (error) {
    throw new Error(`${(error as Error).message}; data was ${describe(last)}`);
  }
}

/** Resolves with the current page once its path is `route` (without leading slash or query). */
export async function waitForPage(
  mp: MiniProgram,
  route: string,
  options: WaitOptions = {},
): Promise<Page> {
  const wanted = route.replace(/^\//, '').split('?')[0];
  return waitFor(
    async () => {
      const page = await mp.currentPage();
      return page && page.path === wanted ? page : undefined;
    },
    { ...options, message: options.message ?? `the current page to be ${wanted}` },
  );
}
