/** Chat scrolling: stay pinned to the newest message unless the user scrolled up to read. */

/** How close to the bottom (px) still counts as "at the bottom". */
export const STICK_THRESHOLD_PX = 80;

export interface ScrollMetrics {
  scrollTop: number;
  scrollHeight: number;
  /** Height of the visible area. */
  viewportHeight: number;
}

export function isAtBottom(metrics: ScrollMetrics, threshold = STICK_THRESHOLD_PX): boolean {
  return metrics.scrollHeight - metrics.scrollTop - metrics.viewportHeight <= threshold;
}

/** What to do when messages arrive: follow them, or count them for a "N new" hint. */
export function onNewMessages(
  pinned: boolean,
  unseen: number,
  arrived: number,
  ownMessage: boolean,
): { scroll: boolean; unseen: number } {
  // Your own message always brings you down: you want to see it go out.
  if (pinned || ownMessage) return { scroll: true, unseen: 0 };
  return { scroll: false, unseen: unseen + arrived };
}
