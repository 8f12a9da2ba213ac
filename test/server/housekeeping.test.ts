import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ChunkedUploadSession } from '../../typings/api';
import { ABANDONED_UPLOAD_MS } from '../../server/src/housekeeping';
import { ManualClock, PNG_1X1, bearer, call, login, running, tempDataDir } from './helpers';

describe('housekeeping', () => {
  it('clears crash leftovers in incoming/ at start', async () => {
    const dataDir = tempDataDir();
    fs.mkdirSync(path.join(dataDir, 'incoming'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'incoming', 'deadbeefdeadbeef'), 'half an upload');
    const server = await running({ dataDir });
    try {
      expect(fs.readdirSync(path.join(dataDir, 'incoming'))).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('deletes abandoned chunked uploads and old sessions, keeps live ones', async () => {
    const clock = new ManualClock();
    const server = await running({ clock, tokenTtlMs: ABANDONED_UPLOAD_MS * 10 });
    try {
      const auth = bearer((await login(server)).token);
      const expiring = await login(server, 'short');
      const file = Buffer.concat([PNG_1X1, Buffer.alloc(70_000)]);
      const create = () =>
        call<ChunkedUploadSession>(server, {
          method: 'POST',
          url: '/api/uploads/chunked',
          headers: auth,
          payload: {
            filename: 'a.png',
            size: file.length,
            sha256: crypto.createHash('sha256').update(file).digest('hex'),
            chunkSize: 65536,
          },
        });
      const old = (await create()).body.data!;
      await call(server, {
        method: 'PUT',
        url: `/api/uploads/chunked/${old.uploadId}/chunks/0`,
        headers: { ...auth, 'content-type': 'application/octet-stream' },
        payload: file.subarray(0, 65536),
      });
      const chunkDir = path.join(server.context.options.dataDir, 'chunks', old.uploadId);
      expect(fs.existsSync(chunkDir)).toBe(true);
      await call(server, {
        method: 'POST',
        url: '/api/auth/logout',
        headers: bearer(expiring.token),
      });

      clock.advance(ABANDONED_UPLOAD_MS + 1);
      const report = await server.context.housekeeping.run();
      expect(report).toEqual({ uploads: 1, sessions: 1 });
      expect(fs.existsSync(chunkDir)).toBe(false);
      const gone = await call(server, {
        method: 'GET',
        url: `/api/uploads/chunked/${old.uploadId}`,
        headers: auth,
      });
      expect(gone.res.statusCode).toBe(404);
      // The live session still works, and a new upload starts fresh.
      expect(
        (await call(server, { method: 'GET', url: '/api/me', headers: auth })).res.statusCode,
      ).toBe(200);
      const fresh = (await create()).body.data!;
      expect(fresh.uploadId).not.toBe(old.uploadId);
      expect(fresh.received).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
