import crypto from 'node:crypto';
import type { Envelope } from '../../typings/api';
import { envelopeOf, errorEnvelope } from '../../server/src/domain/rules';
import type { CloudDeps } from './database';

export interface CloudEvent {
  /** The client's X-Trace-Id equivalent, echoed in the Envelope. */
  traceId?: string;
  [key: string]: unknown;
}

export type CloudHandler<T> = (event: CloudEvent) => Promise<Envelope<T>>;

/** Wraps a function body: every outcome is an Envelope, business errors keep their code. */
export function envelopeHandler<T>(
  deps: CloudDeps,
  body: (event: CloudEvent, deps: CloudDeps) => Promise<T>,
): CloudHandler<T> {
  return async (event) => {
    const traceId =
      typeof event?.traceId === 'string' && /^[A-Za-z0-9._:-]{1,64}$/.test(event.traceId)
        ? event.traceId
        : crypto.randomBytes(8).toString('hex');
    try {
      return envelopeOf(await body(event ?? {}, deps), traceId);
    } catch (error) {
      return errorEnvelope(error, traceId);
    }
  };
}

/** Loads wx-server-sdk at run time in the cloud (it is not a dependency of this repository). */
export function platformDeps(): CloudDeps {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cloud = require('wx-server-sdk') as WxServerSdk;
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
  const db = cloud.database();
  return { db, openId: () => cloud.getWXContext().OPENID, now: () => Date.now() };
}

interface WxServerSdk {
  DYNAMIC_CURRENT_ENV: unknown;
  init(options: { env: unknown }): void;
  database(): CloudDeps['db'];
  getWXContext(): { OPENID: string };
}
