/**
 * Fan-out between chat connections. In-memory within one process today; a Redis implementation
 * of the same interface would carry messages across instances.
 */
export type Unsubscribe = () => void;

export interface PubSub<T> {
  publish(channel: string, message: T): Promise<void>;
  subscribe(channel: string, handler: (message: T) => void): Unsubscribe;
  close(): Promise<void>;
}

export function memoryPubSub<T>(): PubSub<T> {
  const channels = new Map<string, Set<(message: T) => void>>();
  return {
    async publish(channel, message) {
      // Copy: a handler may unsubscribe (socket closed) while we iterate.
      for (const handler of [...(channels.get(channel) ?? [])]) {
        try {
          handler(message);
        } catch {
          // One broken subscriber must not stop delivery to the others.
        }
      }
    },
    subscribe(channel, handler) {
      let handlers = channels.get(channel);
      if (!handlers) channels.set(channel, (handlers = new Set()));
      handlers.add(handler);
      return () => {
        handlers.delete(handler);
        if (handlers.size === 0) channels.delete(channel);
      };
    },
    async close() {
      channels.clear();
    },
  };
}
