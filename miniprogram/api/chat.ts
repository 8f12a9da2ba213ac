/** Chat history over HTTP; live messages come through the socket (utils/socket via the chat port). */
import type { ChatHistory, ChatHistoryQuery } from '../../typings/api';
import type { CancelSignal } from '../utils/cancel';
import { apiHttp } from './client';

export interface ChatHistoryOptions {
  signal?: CancelSignal;
  /** The caller shows the failure itself (the chat page's history error): no toast. */
  silent?: boolean;
}

export function fetchChatHistory(
  query: ChatHistoryQuery = {},
  options: ChatHistoryOptions = {},
): Promise<ChatHistory> {
  return apiHttp().request<ChatHistory>({
    url: '/api/chat/messages',
    params: { beforeId: query.beforeId, limit: query.limit ?? 30 },
    signal: options.signal,
    skipErrorHandler: options.silent,
  });
}
