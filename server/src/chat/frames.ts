import type { ChatClientFrame } from '../../../typings/api';

export const MAX_TEXT_LENGTH = 2000;
const CLIENT_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export type ParsedFrame =
  | { ok: true; frame: ChatClientFrame }
  | { ok: false; message: string; reqId?: string; clientId?: string };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const nonNegativeInteger = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Validates one client text frame; every problem comes back as a message, never a throw. */
export function parseClientFrame(raw: string): ParsedFrame {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, message: 'frame is not valid JSON' };
  }
  if (!isObject(value)) return { ok: false, message: 'frame must be a JSON object' };
  const reqId =
    typeof value.reqId === 'string' && value.reqId.length <= 64 ? value.reqId : undefined;
  if (value.reqId !== undefined && reqId === undefined) {
    return { ok: false, message: 'reqId must be a string of at most 64 characters' };
  }
  const fail = (message: string, clientId?: string): ParsedFrame => ({
    ok: false,
    message,
    reqId,
    clientId,
  });
  switch (value.type) {
    case 'hello':
      if (value.lastId !== undefined && !nonNegativeInteger(value.lastId)) {
        return fail('hello.lastId must be a non-negative integer');
      }
      return {
        ok: true,
        frame: { type: 'hello', lastId: value.lastId as number | undefined, reqId },
      };
    case 'send': {
      if (typeof value.clientId !== 'string' || !CLIENT_ID.test(value.clientId)) {
        return fail('send.clientId must be 1-64 characters of letters, digits and . _ : -');
      }
      const clientId = value.clientId;
      if (typeof value.text !== 'string') return fail('send.text must be a string', clientId);
      if (value.text.trim().length === 0) return fail('send.text must not be empty', clientId);
      if (value.text.length > MAX_TEXT_LENGTH) {
        return fail(`send.text must be at most ${MAX_TEXT_LENGTH} characters`, clientId);
      }
      return { ok: true, frame: { type: 'send', clientId, text: value.text, reqId } };
    }
    case 'sync':
      if (!nonNegativeInteger(value.sinceId))
        return fail('sync.sinceId must be a non-negative integer');
      if (value.limit !== undefined && !(nonNegativeInteger(value.limit) && value.limit >= 1)) {
        return fail('sync.limit must be a positive integer');
      }
      return {
        ok: true,
        frame: {
          type: 'sync',
          sinceId: value.sinceId,
          limit: value.limit as number | undefined,
          reqId,
        },
      };
    case 'ping':
      if (value.t !== undefined && typeof value.t !== 'number')
        return fail('ping.t must be a number');
      return { ok: true, frame: { type: 'ping', t: value.t as number | undefined, reqId } };
    default:
      return fail(`unknown frame type ${JSON.stringify(String(value.type)).slice(0, 40)}`);
  }
}
