import { adaptEnvelope, NOT_MODIFIED } from '../../../miniprogram/utils/envelope';
import type { AppError } from '../../../miniprogram/utils/errors';

const reply = (status: number, data: unknown) => ({ status, header: {}, data, bytes: 0 });
const fail = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (error) {
    return error as AppError;
  }
  throw new Error('did not throw');
};

describe('envelope adaptor: wrong replies', () => {
  it('JSON that is no envelope, text that is no JSON and nothing at all are parse errors, with the reply as read as cause', () => {
    for (const [data, cause] of [
      ['[1,2]', [1, 2]],
      [{ data: 1 }, { data: 1 }],
      ['<html>', '<html>'],
      [' ', ' '],
      [null, null],
      [undefined, undefined],
      [7, 7],
    ]) {
      expect(fail(() => adaptEnvelope(reply(200, data)))).toMatchObject({
        kind: 'parse',
        status: 200,
        message: 'reply is not an envelope',
        cause,
      });
    }
  });

  it('a non-envelope object never lends its fields to the error', () => {
    const error = fail(() =>
      adaptEnvelope(reply(200, { errorCode: 'SESSION_EXPIRED', errorMessage: 'x', showType: 4 })),
    );
    expect(error).toMatchObject({ kind: 'parse' });
    expect(error.code).toBeUndefined();
    expect(error.serverMessage).toBeUndefined();
    expect(error.showType).toBeUndefined();
  });

  it('business errors carry code, server message, showType and the envelope as cause', () => {
    const body = { success: false, errorCode: 'CONFLICT', errorMessage: '已存在', showType: 1 };
    expect(fail(() => adaptEnvelope(reply(200, JSON.stringify(body))))).toMatchObject({
      kind: 'business',
      status: 200,
      message: 'CONFLICT',
      code: 'CONFLICT',
      serverMessage: '已存在',
      showType: 1,
      cause: body,
    });
  });

  it('401 is auth with or without an envelope; so is a listed body code at any status', () => {
    expect(fail(() => adaptEnvelope(reply(401, ''))).kind).toBe('auth');
    expect(fail(() => adaptEnvelope(reply(401, '')))).toMatchObject({
      status: 401,
      message: 'HTTP 401',
    });
    const gone = { success: false, errorCode: 'TOKEN_GONE', traceId: 't' };
    expect(fail(() => adaptEnvelope(reply(200, gone), ['TOKEN_GONE'])).kind).toBe('auth');
    expect(fail(() => adaptEnvelope(reply(200, gone))).kind).toBe('business');
    // A successful envelope outside 2xx is still an http error.
    expect(fail(() => adaptEnvelope(reply(404, { success: true, data: 1 })))).toMatchObject({
      kind: 'http',
      message: 'HTTP 404',
    });
  });
});

describe('envelope adaptor', () => {
  it('unwraps success, parses JSON text, and flags 304', () => {
    expect(adaptEnvelope(reply(200, { success: true, data: 1, traceId: 't' }))).toBe(1);
    expect(adaptEnvelope(reply(200, '{"success":true,"data":2,"traceId":"t"}'))).toBe(2);
    expect(adaptEnvelope(reply(304, ''))).toBe(NOT_MODIFIED);
  });

  it('turns replies into http, auth, business and parse errors', () => {
    expect(
      fail(() =>
        adaptEnvelope(
          reply(500, {
            success: false,
            errorCode: 'INTERNAL',
            errorMessage: '坏了',
            showType: 2,
            traceId: 't',
          }),
        ),
      ),
    ).toMatchObject({
      kind: 'http',
      status: 500,
      code: 'INTERNAL',
      serverMessage: '坏了',
      showType: 2,
    });
    expect(
      fail(() =>
        adaptEnvelope(reply(403, { success: false, errorCode: 'SESSION_EXPIRED', traceId: 't' })),
      ).kind,
    ).toBe('auth');
    expect(fail(() => adaptEnvelope(reply(200, { success: false, traceId: 't' })))).toMatchObject({
      kind: 'business',
      message: 'business error',
    });
    expect(fail(() => adaptEnvelope(reply(200, '')))).toMatchObject({
      kind: 'parse',
      message: 'reply is not an envelope',
    });
    expect(fail(() => adaptEnvelope(reply(502, '<html>')))).toMatchObject({
      kind: 'http',
      status: 502,
    });
  });
});
