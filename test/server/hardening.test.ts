import Database from 'better-sqlite3';
import path from 'node:path';
import type { Favorite, FileInfo, PageResult } from '../../typings/api';
import { openDatabase, schemaVersion } from '../../server/src/db/database';
import { buildServer, startServer } from '../../server/src/app';
import { MIGRATIONS } from '../../server/src/db/migrations';
import { sqliteRepositories } from '../../server/src/repositories/sqlite';
import { noQuerySchema } from '../../server/src/routes/schemas';
import {
  PNG_1X1,
  bearer,
  call,
  login,
  multipart,
  request,
  running,
  tempDataDir,
  testOptions,
} from './helpers';

describe('hardening', () => {
  it('sends security headers, echoes a sane X-Trace-Id and replaces an insane one', async () => {
    const server = await running();
    try {
      const res = await request(server, {
        method: 'GET',
        url: '/api/health',
        headers: { 'x-trace-id': 'trace-abc.123' },
      });
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBeDefined();
      expect(res.headers['content-security-policy']).toBeDefined();
      expect(res.headers['x-trace-id']).toBe('trace-abc.123');
      expect(JSON.parse(res.body).traceId).toBe('trace-abc.123');
      const weird = await request(server, {
        method: 'GET',
        url: '/api/health',
        headers: { 'x-trace-id': 'no spaces <script>' },
      });
      expect(weird.headers['x-trace-id']).toMatch(/^[0-9a-f]{16}$/);
      expect(JSON.parse(weird.body).traceId).toBe(weird.headers['x-trace-id']);
    } finally {
      await server.close();
    }
  });

  it('answers unknown routes with a 404 Envelope', async () => {
    const server = await running();
    try {
      const { res, body } = await call(server, { method: 'GET', url: '/api/nope?x=1' });
      expect(res.statusCode).toBe(404);
      expect(body).toMatchObject({
        success: false,
        errorCode: 'NOT_FOUND',
        traceId: expect.any(String),
      });
      expect(body.errorMessage).toBe('Route GET /api/nope not found');
    } finally {
      await server.close();
    }
  });

  it('keeps data across a restart (favorites, files, sessions) and does not seed twice', async () => {
    const dataDir = tempDataDir();
    const first = await running({ dataDir });
    const { token } = await login(first, 'persist');
    await call(first, {
      method: 'POST',
      url: '/api/favorites',
      headers: { ...bearer(token), 'idempotency-key': 'restart-1' },
      payload: { productId: 'p010' },
    });
    const form = multipart([{ name: 'file', filename: 'a.png', data: PNG_1X1 }]);
    const uploaded = await call<FileInfo>(first, {
      method: 'POST',
      url: '/api/uploads',
      headers: { ...bearer(token), ...form.headers },
      payload: form.payload,
    });
    await first.close();

    const second = await running({ dataDir });
    try {
      const favorites = await call<PageResult<Favorite>>(second, {
        method: 'GET',
        url: '/api/favorites',
        headers: bearer(token),
      });
      expect(favorites.res.statusCode).toBe(200);
      expect(favorites.body.data!.list.map((f) => f.productId)).toEqual(['p010']);
      const replay = await call<Favorite>(second, {
        method: 'POST',
        url: '/api/favorites',
        headers: { ...bearer(token), 'idempotency-key': 'restart-1' },
        payload: { productId: 'p010' },
      });
      expect(replay.res.headers['idempotent-replayed']).toBe('true');
      const file = await request(second, { method: 'GET', url: uploaded.body.data!.url });
      expect(file.raw).toEqual(PNG_1X1);
      expect(await second.context.repos.products.count()).toBe(240);
    } finally {
      await second.close();
    }
  });

  it('uses WAL and versioned migrations', () => {
    const dataDir = tempDataDir();
    const db = openDatabase(dataDir);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(schemaVersion(db)).toBe(MIGRATIONS[MIGRATIONS.length - 1].version);
    db.close();
    const raw = new Database(path.join(dataDir, 'app.db'));
    expect(raw.pragma('user_version', { simple: true })).toBe(1);
    raw.close();
    // A later migration applies once on top of the existing schema.
    const upgraded = openDatabase(dataDir, [
      ...MIGRATIONS,
      { version: 2, name: 'test column', sql: 'ALTER TABLE users ADD COLUMN extra TEXT' },
    ]);
    expect(schemaVersion(upgraded)).toBe(2);
    upgraded.close();
  });

  it('graceful shutdown finishes in-flight requests, then refuses new connections', async () => {
    const server = await running();
    await call(server, {
      method: 'POST',
      url: '/__dev/faults',
      payload: { match: { pathPrefix: '/api/health' }, action: { kind: 'delay', ms: 200 } },
    });
    const inFlight = request(server, { method: 'GET', url: '/api/health' });
    // Wait until the server holds the request (counted by the dev hooks) before closing.
    for (let i = 0; i < 100; i++) {
      const stats = await request(server, { method: 'GET', url: '/__dev/stats' });
      if (JSON.parse(stats.body).data.requests['GET /api/health']) break;
    }
    const closed = server.close();
    const res = await inFlight;
    expect(res.statusCode).toBe(200);
    await closed;
    await expect(request(server, { method: 'GET', url: '/api/health' })).rejects.toThrow(
      /ECONNREFUSED/,
    );
  });

  it('a route declared without a JSON schema fails the build', async () => {
    const { app } = await buildServer(testOptions());
    try {
      expect(() => app.get('/unchecked', async () => 'ok')).toThrow(
        'GET /unchecked has no JSON schema for its input',
      );
      expect(() =>
        app.get('/checked', { schema: { querystring: noQuerySchema } }, async () => 'ok'),
      ).not.toThrow();
    } finally {
      await app.close();
    }
  });

  it('a storage failure → 500 INTERNAL envelope with the trace id, no message or stack', async () => {
    const repositories = sqliteRepositories(openDatabase(tempDataDir()));
    const server = await startServer(testOptions(), {
      repositories: {
        ...repositories,
        products: {
          ...repositories.products,
          list: async () => {
            throw new Error('SQLITE_CORRUPT secret-table at /srv/app.db');
          },
        },
      },
    });
    try {
      const { res, body } = await call(server, {
        method: 'GET',
        url: '/api/products',
        headers: { ...bearer((await login(server)).token), 'x-trace-id': 'trace-500' },
      });
      expect(res.statusCode).toBe(500);
      expect(body).toEqual({
        success: false,
        errorCode: 'INTERNAL',
        errorMessage: 'Internal error',
        showType: 2,
        traceId: 'trace-500',
      });
      expect(res.body).not.toMatch(/secret|SQLITE|stack|\bat \//);
    } finally {
      await server.close();
    }
  });

  it('a port already in use rejects startServer (no hang), and the data dir stays usable', async () => {
    const first = await running();
    try {
      const dataDir = tempDataDir();
      await expect(running({ dataDir, port: first.port })).rejects.toThrow(/EADDRINUSE/);
      const again = await running({ dataDir });
      await again.close();
    } finally {
      await first.close();
    }
  });
});
