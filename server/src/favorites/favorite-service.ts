import type { Favorite, FavoriteRemoved, PageResult } from '../../../typings/api';
import type { Clock } from '../config';
import { notFound } from '../domain/errors';
import {
  decideIdempotency,
  normalizePage,
  pageResult,
  requestFingerprint,
  validateProductId,
  type RawPageInput,
} from '../domain/rules';
import type { Repositories } from '../repositories/types';

export interface FavoriteOutcome {
  favorite: Favorite;
  /** True only the first time: replays and re-adds are not applied again. */
  applied: boolean;
  replayed: boolean;
}

const SCOPE = 'POST /api/favorites';

export class FavoriteService {
  /**
   * Requests with one (user, key) run one after the other in this process, so find → apply →
   * save cannot interleave even when the repository really awaits (see IdempotencyRepository
   * for what several instances need). Entries go once their request settles.
   */
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(
    private readonly repos: Repositories,
    private readonly clock: Clock,
    private readonly onApplied: () => void = () => undefined,
  ) {}

  /** Adds a favorite; with an idempotency key the same key always yields the same reply. */
  add(userId: string, productIdInput: string, idempotencyKey?: string): Promise<FavoriteOutcome> {
    if (!idempotencyKey) return this.addOnce(userId, productIdInput);
    const slot = JSON.stringify([userId, idempotencyKey]);
    const previous = this.running.get(slot) ?? Promise.resolve();
    const work = previous.then(() => this.addOnce(userId, productIdInput, idempotencyKey));
    const settled = work.catch(() => undefined);
    this.running.set(slot, settled);
    void settled.then(() => {
      if (this.running.get(slot) === settled) this.running.delete(slot);
    });
    return work;
  }

  private async addOnce(
    userId: string,
    productIdInput: string,
    idempotencyKey?: string,
  ): Promise<FavoriteOutcome> {
    const productId = validateProductId(productIdInput);
    const fingerprint = requestFingerprint(SCOPE, { productId });
    if (idempotencyKey) {
      const decision = decideIdempotency(
        await this.repos.idempotency.find(userId, idempotencyKey),
        fingerprint,
      );
      if (decision.kind === 'replay') {
        return { favorite: JSON.parse(decision.reply) as Favorite, applied: false, replayed: true };
      }
    }
    if (!(await this.repos.products.get(productId))) throw notFound(`Product ${productId}`);
    const { favorite, applied } = await this.repos.favorites.add(
      userId,
      productId,
      this.clock.now(),
    );
    if (applied) this.onApplied();
    if (idempotencyKey) {
      await this.repos.idempotency.save(
        userId,
        idempotencyKey,
        SCOPE,
        { fingerprint, status: 200, reply: JSON.stringify(favorite) },
        this.clock.now(),
      );
    }
    return { favorite, applied, replayed: false };
  }

  async remove(userId: string, productIdInput: string): Promise<FavoriteRemoved> {
    const productId = validateProductId(productIdInput);
    return { productId, removed: await this.repos.favorites.remove(userId, productId) };
  }

  async list(userId: string, input: RawPageInput): Promise<PageResult<Favorite>> {
    const page = normalizePage(input);
    const { list, total } = await this.repos.favorites.list(userId, page.offset, page.pageSize);
    return pageResult(list, page, total);
  }
}
