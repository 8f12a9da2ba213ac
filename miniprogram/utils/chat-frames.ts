/**
 * Parsing of /ws/chat server frames. Anything that is not JSON, not an object, not of a known
 * type or missing the fields that type needs is rejected here, so the socket manager only ever
 * sees well-formed `ChatServerFrame`s.
 */
import type { ChatMessage, ChatServerFrame } from '../../typings/api';

export type ParsedFrame =
  { ok: true; frame: ChatServerFrame } | { ok: false; reason: 'malformed' | 'unknown' };

export function parseServerFrame(data: unknown): ParsedFrame {
  if (typeof data !== 'string') return { ok: false, reason: 'malformed' };
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!isObject(value) || typeof value.type !== 'string') return { ok: false, reason: 'malformed' };
  if (value.reqId !== undefined && typeof value.reqId !== 'string') {
    return { ok: false, reason: 'malformed' };
  }
  const valid = VALIDATORS[value.type];
  if (!valid) return { ok: false, reason: 'unknown' };
  return valid(value)
    ? { ok: true, frame: value as ChatServerFrame }
    : { ok: false, reason: 'malformed' };
}

export function isChatMessage(value: unknown): value is ChatMessage {
  return (
    isObject(value) &&
    isId(value.id) &&
    typeof value.text === 'string' &&
    typeof value.at === 'number' &&
    isObject(value.from) &&
    typeof value.from.id === 'string' &&
    (value.clientId === undefined || typeof value.clientId === 'string')
  );
}

const VALIDATORS: Record<string, ((frame: Record<string, unknown>) => boolean) | undefined> = {
  hello: (frame) => isObject(frame.user) && typeof frame.lastId === 'number',
  ack: (frame) =>
    typeof frame.clientId === 'string' && isId(frame.id) && typeof frame.at === 'number',
  message: (frame) => isChatMessage(frame),
  sync: (frame) =>
    Array.isArray(frame.messages) &&
    frame.messages.every(isChatMessage) &&
    typeof frame.hasMore === 'boolean',
  pong: () => true,
  error: (frame) => typeof frame.code === 'string' && typeof frame.message === 'string',
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}
