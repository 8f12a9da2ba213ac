/**
 * Runs gallery shots against a session: the ShotContext (settled capture, modal painter) and the
 * render timings the capture script reports.
 */
import { httpRequest } from '../harness/backend';
import { createModalPainter } from './modal-overlay';
import type { ModalContent } from './modal-overlay';
import type { GallerySession } from './session';
import type { Shot, ShotContext } from './shots';

export interface ShotResult {
  shot: Shot;
  png: Buffer;
  /** ms of each screenshot call this shot made (settling takes two or more). */
  renderMs: number[];
}

export interface RunSummary {
  results: ShotResult[];
  /** ms of each screenshot call with Chromium already up. */
  renderMs: number[];
  /** ms of the screenshot calls that also started Chromium (first one, and after restarts). */
  coldRenderMs: number[];
}

/** Screenshots until two in a row are identical (late images, debounced updates), at most this. */
const MAX_SETTLE_RENDERS = 6;

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function pendingModal(session: GallerySession): Promise<ModalContent> {
  const reply = await httpRequest(`${session.state.controlUrl}/control`, {
    method: 'POST',
    body: { method: 'screen', args: [] },
  });
  const parsed = JSON.parse(reply.body) as { result?: { modal: ModalContent | null } };
  const modal = parsed.result?.modal;
  if (!modal) throw new Error('no modal is on screen to draw');
  return modal;
}

export async function runShots(
  session: GallerySession,
  shots: Shot[],
  onShot: (result: ShotResult) => void = () => undefined,
): Promise<RunSummary> {
  const renderMs: number[] = [];
  let shotRenderMs: number[] = [];
  const coldRenderMs: number[] = [];
  let renderedAfterRestarts = -1;
  const screenshot = async (): Promise<Buffer> => {
    const started = Date.now();
    const data = (await session.mp.screenshot()) as string;
    const elapsed = Date.now() - started;
    shotRenderMs.push(elapsed);
    if (renderedAfterRestarts !== session.restarts) coldRenderMs.push(elapsed);
    else renderMs.push(elapsed);
    renderedAfterRestarts = session.restarts;
    return Buffer.from(data, 'base64');
  };
  const painter = createModalPainter({ width: 375, height: 603, dpr: 2 });
  const context: ShotContext = {
    session,
    async capture() {
      let previous = await screenshot();
      for (let i = 1; i < MAX_SETTLE_RENDERS; i++) {
        const next = await screenshot();
        if (next.equals(previous)) return next;
        previous = next;
      }
      return previous;
    },
    async withModal(page) {
      return painter.paint(page, await pendingModal(session), 'light');
    },
  };
  const results: ShotResult[] = [];
  try {
    for (const shot of shots) {
      let png: Buffer;
      shotRenderMs = [];
      try {
        png = await shot.take(context);
      } catch (error) {
        if (error instanceof Error) error.message = `${shot.file}: ${error.message}`;
        throw error;
      }
      const result = { shot, png, renderMs: shotRenderMs };
      results.push(result);
      onShot(result);
    }
  } finally {
    await painter.close();
  }
  return { results, renderMs, coldRenderMs };
}
