import { PassThrough } from 'node:stream';
import { bearer, login, request, running } from './helpers';

describe('structured logs', () => {
  it('are JSON lines carrying the client trace id, without tokens', async () => {
    const stream = new PassThrough();
    const lines: Array<Record<string, unknown>> = [];
    let buffered = '';
    stream.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const part of parts) if (part) lines.push(JSON.parse(part) as Record<string, unknown>);
    });
    const server = await running({ logLevel: 'info', logStream: stream });
    let token = '';
    try {
      token = (await login(server)).token;
      await request(server, {
        method: 'GET',
        url: '/api/me',
        headers: { ...bearer(token), 'x-trace-id': 'trace-log-1', 'x-request-id': 'attempt-1' },
      });
      await request(server, {
        method: 'GET',
        url: `/ws/chat?token=${token}`,
        headers: { 'x-trace-id': 'trace-log-2' },
      });
    } finally {
      await server.close();
    }
    const traced = lines.filter((l) => l.traceId === 'trace-log-1');
    expect(traced.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['incoming request', 'request completed']),
    );
    expect(traced.find((l) => l.msg === 'request completed')).toMatchObject({
      res: { statusCode: 200 },
    });
    expect(traced.find((l) => l.msg === 'incoming request')).toMatchObject({
      req: { requestId: 'attempt-1' },
    });
    const all = JSON.stringify(lines);
    expect(all).toContain('token=[redacted]');
    expect(token.length).toBeGreaterThan(20);
    expect(all).not.toContain(token);
  });
});
