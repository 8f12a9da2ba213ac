import type { Envelope } from '../../../typings/api';

/** A JSON string known to encode an `Envelope<T>` (phantom type for readers of the route). */
export type EnvelopeJson<T> = string & { readonly __envelope?: Envelope<T> };

/**
 * Wraps data that is already JSON (a memoised page) in the Envelope without parsing or
 * re-serialising it. The result is byte-for-byte what JSON.stringify(envelopeOf(data)) gives.
 */
export function serialisedEnvelope<T>(dataJson: string, traceId: string): EnvelopeJson<T> {
  return `{"success":true,"data":${dataJson},"traceId":${JSON.stringify(traceId)}}`;
}
