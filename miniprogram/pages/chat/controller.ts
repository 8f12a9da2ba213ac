/**
 * The chat room: history on entry, optimistic sends with sending/sent/failed, retry of failed
 * messages, connection status, and "stay at the bottom unless the user scrolled up".
 * The socket (through the chat port) is held only while the page is showing.
 */
import { fetchChatHistory } from '../../api/chat';
import { ChatTimeline } from '../../services/chat-timeline';
import type { TimelineItem } from '../../services/chat-timeline';
import { formatClock } from '../../services/format';
import type { PageView } from '../../services/page-view';
import { Subscriptions } from '../../services/page-view';
import type { ChatConnectionStatus, ChatEvent, ChatPort } from '../../services/ports';
import { onNewMessages } from '../../services/scroll';
import { CancelGroup } from '../../utils/cancel';
import { isCancelled } from '../../utils/errors';

/** Max characters per message (the contract's ChatTextLimit). */
export const CHAT_TEXT_LIMIT = 2000;

export type ChatRow = TimelineItem & { time: string };

export interface ChatData {
  messages: ChatRow[];
  status: ChatConnectionStatus;
  draft: string;
  historyState: 'loading' | 'ready' | 'failed';
  /** Bumped to scroll the scroll-view to the bottom. */
  scrollTop: number;
  unseen: number;
}

export const INITIAL_CHAT_DATA: ChatData = {
  messages: [],
  status: 'idle',
  draft: '',
  historyState: 'loading',
  scrollTop: 0,
  unseen: 0,
};

export interface ChatDeps {
  chat: ChatPort;
  myUserId: () => string | undefined;
  myNickname: () => string;
  now?: () => number;
}

export type SendResult = 'sent' | 'empty' | 'too-long';

const BOTTOM = 10_000_000;

export class ChatController {
  readonly timeline: ChatTimeline;
  private readonly subscriptions = new Subscriptions();
  private readonly requests = new CancelGroup();
  private release: (() => void) | undefined;
  private pinned = true;

  constructor(
    private readonly view: PageView<ChatData>,
    private readonly deps: ChatDeps,
  ) {
    this.timeline = new ChatTimeline(deps.myUserId);
  }

  /** onLoad: listen to the socket, load history. */
  start(): Promise<void> {
    this.subscriptions.add(this.deps.chat.on((event) => this.onEvent(event)));
    this.view.setData({ status: this.deps.chat.status });
    return this.loadHistory();
  }

  /** onShow: hold the connection. */
  attach(): void {
    if (!this.release) this.release = this.deps.chat.acquire();
  }

  /** onHide / onUnload: let the socket go when nothing else needs it. */
  detach(): void {
    this.release?.();
    this.release = undefined;
  }

  stop(): void {
    this.detach();
    this.requests.cancelAll();
    this.subscriptions.releaseAll();
  }

  async loadHistory(): Promise<void> {
    this.view.setData({ historyState: 'loading' });
    try {
      // The page shows a failure itself (history error with retry): no toast on top.
      const history = await fetchChatHistory(
        { limit: 30 },
        { signal: this.requests.signal, silent: true },
      );
      this.apply(this.timeline.loadHistory(history.messages));
      this.view.setData({ historyState: 'ready' });
      this.scrollToBottom();
    } catch (error) {
      if (!isCancelled(error)) this.view.setData({ historyState: 'failed' });
    }
  }

  onDraft(text: string): void {
    // Kept in data so that clearing it after a send is a real change the input sees.
    this.view.setData({ draft: text });
  }

  send(text = this.view.data.draft): SendResult {
    const trimmed = text.trim();
    if (!trimmed) return 'empty';
    if (trimmed.length > CHAT_TEXT_LIMIT) return 'too-long';
    const clientId = this.deps.chat.send(trimmed);
    const at = (this.deps.now ?? Date.now)();
    this.apply(this.timeline.addLocal(clientId, trimmed, at, this.deps.myNickname()));
    this.view.setData({ draft: '' });
    this.follow(1, true);
    return 'sent';
  }

  retry(clientId: string): void {
    if (this.timeline.statusOf(clientId) !== 'failed') return;
    this.apply(this.timeline.retry(clientId));
    this.deps.chat.retry(clientId);
  }

  /** From the scroll-view: whether the user is at the bottom. */
  setPinned(pinned: boolean): void {
    this.pinned = pinned;
    if (pinned && this.view.data.unseen > 0) this.view.setData({ unseen: 0 });
  }

  scrollToBottom(): void {
    this.pinned = true;
    // A changed value is needed for the scroll-view to scroll again.
    const scrollTop = this.view.data.scrollTop >= BOTTOM ? this.view.data.scrollTop + 1 : BOTTOM;
    this.view.setData({ scrollTop, unseen: 0 });
  }

  private onEvent(event: ChatEvent): void {
    switch (event.type) {
      case 'status':
        this.view.setData({ status: event.status });
        return;
      case 'message': {
        const own = event.message.from.id === this.deps.myUserId();
        const patch = this.timeline.receive(event.message);
        if (!patch) return;
        this.apply(patch);
        if (!own || !event.message.clientId) this.follow(1, false);
        return;
      }
      case 'ack':
        this.apply(this.timeline.ack(event.clientId, event.id, event.at));
        return;
      case 'failed':
        this.apply(this.timeline.fail(event.clientId));
        return;
    }
  }

  private follow(arrived: number, own: boolean): void {
    const next = onNewMessages(this.pinned, this.view.data.unseen, arrived, own);
    if (next.scroll) this.scrollToBottom();
    else this.view.setData({ unseen: next.unseen });
  }

  /** Adds the display time to rows in a patch. */
  private apply(patch: Record<string, unknown> | undefined): void {
    if (!patch) return;
    const withTime: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(patch)) {
      if (Array.isArray(value)) withTime[key] = value.map(row);
      else if (value && typeof value === 'object' && 'at' in value) {
        withTime[key] = row(value as TimelineItem);
      } else withTime[key] = value;
    }
    this.view.setData(withTime);
  }
}

function row(item: TimelineItem): ChatRow {
  return { ...item, time: formatClock(item.at) };
}
