import { setImmediate as nextTurn } from 'node:timers/promises';
import { openDatabase } from '../../../server/src/db/database';
import { seedIfEmpty } from '../../../server/src/db/seed';
import { FavoriteService } from '../../../server/src/favorites/favorite-service';
import { sqliteRepositories } from '../../../server/src/repositories/sqlite';
import type { Repositories } from '../../../server/src/repositories/types';
import { ManualClock, tempDataDir } from '../helpers';

/** SQLite repositories whose idempotency reads answer a turn later, as a server database's would. */
async function slowRepositories(): Promise<Repositories> {
  const repos = sqliteRepositories(openDatabase(tempDataDir()));
  await seedIfEmpty(repos.products, 30);
  await repos.users.upsertByOpenId('dev:u', {
    id: 'u',
    nickname: 'u',
    avatarUrl: '',
    createdAt: 0,
  });
  return {
    ...repos,
    idempotency: {
      ...repos.idempotency,
      find: async (userId, key) => {
        const found = await repos.idempotency.find(userId, key);
        await nextTurn(); // the answer travels back while other requests run
        return found;
      },
    },
  };
}

describe('FavoriteService idempotency under concurrency', () => {
  it('one key, two bodies at once: the first applies, the second is refused, nothing else changes', async () => {
    const repos = await slowRepositories();
    let applied = 0;
    const service = new FavoriteService(repos, new ManualClock(), () => applied++);
    const [first, second] = await Promise.allSettled([
      service.add('u', 'p010', 'same-key'),
      service.add('u', 'p011', 'same-key'),
    ]);
    expect(first).toMatchObject({ status: 'fulfilled', value: { applied: true } });
    expect(second).toMatchObject({ status: 'rejected', reason: { code: 'VALIDATION_FAILED' } });
    expect(await repos.favorites.has('u', 'p011')).toBe(false);
    expect(applied).toBe(1);
    await repos.close();
  });

  it('one key replayed at once: applied once, every reply the same', async () => {
    const repos = await slowRepositories();
    let applied = 0;
    const service = new FavoriteService(repos, new ManualClock(), () => applied++);
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () => service.add('u', 'p012', 'replayed-key')),
    );
    expect(applied).toBe(1);
    expect(outcomes.filter((o) => o.replayed)).toHaveLength(4);
    expect(new Set(outcomes.map((o) => JSON.stringify(o.favorite))).size).toBe(1);
    await repos.close();
  });
});
