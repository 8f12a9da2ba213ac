import type { Sandbox } from '../sandbox/sandbox';
import type { WxLogType } from '../wx';
import { formatError } from './format-error';

/** The app's `console`: every call becomes a log entry (App.logAdded), JSON-safe. */
export function createAppConsole(
  sandbox: Sandbox,
  log: (type: WxLogType, args: unknown[]) => void,
): Record<string, unknown> {
  // Made in the sandbox: app code holds `console`, so it must not be a Node-realm object.
  const console = sandbox.evaluate('({})') as Record<string, unknown>;
  for (const type of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    console[type] = sandbox.wrap((...args: unknown[]) => log(type, args));
  }
  const noop = sandbox.wrap(() => undefined);
  console.trace = console.debug;
  console.group = console.log;
  console.table = console.log;
  console.groupEnd = noop;
  console.time = noop;
  console.timeEnd = noop;
  console.assert = sandbox.wrap((condition: unknown, ...args: unknown[]) => {
    if (!condition) log('error', ['Assertion failed:', ...args]);
  });
  return console;
}

/** A console argument as it travels in a log entry. */
export function toLoggable(value: unknown): unknown {
  if (
    value instanceof Error ||
    (value && typeof value === 'object' && 'stack' in value && 'message' in value)
  ) {
    return formatError(value).stack;
  }
  if (typeof value === 'function') {
    return `[Function ${(value as { name?: string }).name || 'anonymous'}]`;
  }
  try {
    return JSON.parse(JSON.stringify(value ?? null)) as unknown;
  } catch {
    return String(value);
  }
}
