/**
 * The development-only admin API of the local server (fault injection and counters), mounted
 * under `/__dev/` only when NODE_ENV !== 'production' and only answering loopback clients.
 * e2e specs and benchmarks use it. Replies use the usual Envelope.
 */

/** Which requests a fault applies to. */
export interface FaultMatch {
  /** HTTP method, any when omitted. */
  method?: string;
  /** Path prefix such as `/api/products`, matched against the path without query. */
  pathPrefix: string;
}

/** What happens to a matching request (exactly one kind). */
export type FaultAction =
  | { kind: 'status'; status: number; retryAfter?: number | string; body?: unknown }
  | { kind: 'delay'; ms: number }
  | { kind: 'malformed' }
  | {
      kind: 'envelope';
      errorCode: string;
      errorMessage: string;
      showType?: 0 | 1 | 2 | 4 | 9;
      status?: number;
    }
  | { kind: 'drop' };

/** POST /__dev/faults → Envelope<{ id: string }>: the next `count` matching requests get `action`. */
export interface FaultRule {
  match: FaultMatch;
  action: FaultAction;
  /** Default 1. */
  count?: number;
}

/** DELETE /__dev/faults clears every rule. POST /__dev/sessions/expire expires every session. POST /__dev/chat/drop closes every chat socket (code 1012). POST /__dev/reset clears counters. */

/** GET /__dev/stats → Envelope<DevStats>: counters since start or the last reset. */
export interface DevStats {
  /** Successful POST /api/auth/login calls. */
  logins: number;
  /** Requests per `METHOD /path` (path without query). */
  requests: Record<string, number>;
  /** Replies with status 304 per path. */
  notModified: Record<string, number>;
  /** Requests that carried If-None-Match, per path. */
  conditional: Record<string, number>;
  /** Favorites actually applied (not idempotent replays). */
  favoritesApplied: number;
  /** Chunk PUTs received per uploadId: index → times received. */
  chunks: Record<string, Record<string, number>>;
  /** Chat messages persisted. */
  chatMessages: number;
}
