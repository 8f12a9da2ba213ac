/**
 * What a failing scenario leaves behind in test-artifacts/e2e/<scenario>/: the error, the current
 * page (path, query, data, WXML), the page stack, recent app console output and the backend log
 * tail. Every probe is best effort: a broken app must not hide the original failure.
 */
import fs from 'fs';
import path from 'path';
import type MiniProgram from 'miniprogram-automator/out/MiniProgram';
import type { ConsoleEntry } from './connection';

export interface ArtifactSources {
  mp: MiniProgram | undefined;
  console: ConsoleEntry[];
  backendLog: string;
  artifactsDir: string;
}

const PROBE_MS = 3000;

function slug(name: string): string {
  return name
    .replace(/[^a-zA-Z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

async function probe<T>(what: () => Promise<T>): Promise<T | string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      what(),
      new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve(`(no answer within ${PROBE_MS} ms)`), PROBE_MS);
      }),
    ]);
  } catch (error) {
    return `(unavailable: ${error instanceof Error ? error.message : String(error)})`;
  } finally {
    clearTimeout(timer);
  }
}

export function tail(file: string, lines: number): string {
  try {
    const text = fs.readFileSync(file, 'utf8').split('\n');
    return text.slice(-lines).join('\n');
  } catch (error) {
    return `(no backend log: ${(error as Error).message})`;
  }
}

async function pageWxml(mp: MiniProgram): Promise<string> {
  const page = await mp.currentPage();
  if (!page) return '(no page)';
  const root = await page.$('page');
  if (root) return root.outerWxml();
  // No `page` root element: concatenate the top-level views.
  const views = (await page.$$('view')) as { outerWxml(): Promise<string> }[];
  const parts = await Promise.all(views.slice(0, 1).map((view) => view.outerWxml()));
  return parts.join('\n');
}

export async function captureArtifacts(
  testName: string,
  error: unknown,
  sources: ArtifactSources,
): Promise<string> {
  const dir = path.join(sources.artifactsDir, slug(testName));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const write = (name: string, content: unknown) =>
    fs.writeFileSync(
      path.join(dir, name),
      typeof content === 'string' ? content : JSON.stringify(content, null, 2),
    );

  write('error.txt', error instanceof Error ? `${error.stack ?? error.message}` : String(error));
  const mp = sources.mp;
  if (mp) {
    write(
      'page.json',
      await probe(async () => {
        const page = await mp.currentPage();
        return page
          ? { path: page.path, query: page.query, data: await page.data() }
          : { path: null };
      }),
    );
    write(
      'page-stack.json',
      await probe(async () =>
        (await mp.pageStack()).map((p) => ({ path: p.path, query: p.query })),
      ),
    );
    write('page.wxml', await probe(() => pageWxml(mp)));
  } else {
    write('page.json', '(not connected to the app)');
  }
  write(
    'console.log',
    sources.console
      .map((entry) => `${new Date(entry.at).toISOString()} [${entry.type}] ${format(entry.args)}`)
      .join('\n'),
  );
  write('backend.log', tail(sources.backendLog, 200));
  return dir;
}

function format(args: unknown[]): string {
  return args
    .map((arg) => {
      if (typeof arg === 'string') return arg;
      try {
        return JSON.stringify(arg);
      } catch {
        return String(arg);
      }
    })
    .join(' ');
}
