/**
 * What the error page (showType 9) says, from its query: the server's message as it came, else
 * the plain words for the error kind; the business code beside it; the trace id to quote.
 * The query comes from a URL: anything malformed or too long is dropped, never thrown.
 */
import { t } from '../../utils/i18n';

const KINDS = ['network', 'timeout', 'offline', 'http', 'business', 'auth', 'parse'];
const MAX_LENGTH = 500;

export interface ErrorQuery {
  kind?: string;
  message?: string;
  code?: string;
  traceId?: string;
}

export interface ErrorPageText {
  /** Empty when nothing is known: the page says its generic text. */
  message: string;
  traceId: string;
}

function decode(value: string | undefined): string {
  try {
    return decodeURIComponent(value ?? '').slice(0, MAX_LENGTH);
  } catch (_error) {
    return '';
  }
}

export function errorPageText(query: ErrorQuery): ErrorPageText {
  const kind = decode(query.kind);
  const message = decode(query.message) || (KINDS.includes(kind) ? t(`failure.${kind}`) : '');
  const code = decode(query.code);
  return {
    message: code && message ? `${message} (${code})` : message,
    traceId: decode(query.traceId),
  };
}
