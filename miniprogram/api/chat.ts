/** Chat history over HTTP; live messages come through the socket (utils/socket via the chat port). */
import type { ChatHistory, ChatHistoryQuery } from '../../typings/api';
import type { CancelSignal } from '../utils/cancel';
import { apiHttp } from './client';

export function fetchChatHistory(
  query: ChatHistoryQuery = {},
  signal?: CancelSignal,
): Promise<ChatHistory> {
  return apiHttp().request<ChatHistory>({
    url: '/api/chat/messages',
    params: { beforeId: query.beforeId, limit: query.limit ?? 30 },
    signal,
  });
}
