/**
 * Time to render one screenshot of a page once Chromium is up (goal < 1 s), next to the cold
 * start it saves: browser launch + WXSS compile, first render, screenshot of an unchanged page,
 * and a full re-render after setData (serialise + CSS + setContent + screenshot).
 */
import fs from 'fs';
import { createRenderer } from '../../simulator/src/render/renderer';
import {
  assembleFixture,
  FIXTURE_DIR,
  mountPage,
} from '../../simulator/test/fixtures/render/harness';

const ROUNDS = 10;
const GOAL_MS = 1000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const dir = assembleFixture(FIXTURE_DIR);
  const renderer = createRenderer({ projectPath: dir });
  try {
    const page = await mountPage(dir, 'pages/index/index');
    const input = { root: page.root, pagePath: 'pages/index/index' };

    let t = performance.now();
    await renderer.renderTree(input);
    const cold = performance.now() - t;
    t = performance.now();
    await renderer.screenshot();
    const firstShot = performance.now() - t;

    const unchanged: number[] = [];
    const changed: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      t = performance.now();
      await renderer.renderTree(input);
      await renderer.screenshot();
      unchanged.push(performance.now() - t);

      await page.setData({ title: `Round ${i}` });
      t = performance.now();
      await renderer.renderTree(input);
      await renderer.screenshot();
      changed.push(performance.now() - t);
    }
    const shot = median(unchanged);
    const rerender = median(changed);
    console.log(`cold start (Chromium launch + wcsc + first render): ${cold.toFixed(0)} ms`);
    console.log(`first screenshot: ${firstShot.toFixed(0)} ms`);
    console.log(`screenshot of an unchanged page, median of ${ROUNDS}: ${shot.toFixed(1)} ms`);
    console.log(
      `re-render after setData + screenshot, median of ${ROUNDS}: ${rerender.toFixed(1)} ms`,
    );
    console.log(`ratio re-render / unchanged: ${(rerender / shot).toFixed(2)}x`);
    console.log(`ratio cold start / re-render: ${(cold / rerender).toFixed(1)}x`);
    console.log(
      `figure: one screenshot after the browser is up = ${rerender.toFixed(0)} ms ` +
        `(goal < ${GOAL_MS} ms: ${rerender < GOAL_MS ? 'met' : 'NOT met'})`,
    );
  } finally {
    await renderer.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
