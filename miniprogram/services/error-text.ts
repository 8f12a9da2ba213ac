/** An error in plain words for a page that shows it itself (login, list states). */
import { isAppError } from '../utils/errors';
import { t } from '../utils/i18n';

export function plainError(error: unknown): string {
  if (isAppError(error)) {
    if (error.serverMessage) return error.serverMessage;
    if (error.kind === 'http' && error.status !== undefined && error.status >= 500) {
      return t('failure.server');
    }
    return t(`failure.${error.kind}`);
  }
  return t('failure.unknown');
}
