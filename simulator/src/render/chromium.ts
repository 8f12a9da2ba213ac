import fs from 'fs';
import os from 'os';
import path from 'path';
import type { BrowserContext } from 'playwright-core';

/** Flags this closed network needs: without them Chromium keeps dialling Google's services. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--disable-default-apps',
  '--disable-extensions',
  '--mute-audio',
  '--hide-scrollbars',
];

export const INSTALL_HINT =
  "Install Debian's Chromium first: `apt-get update && apt-get install -y chromium fonts-wqy-microhei` " +
  '(or point MP_SIM_CHROMIUM / the `executablePath` option at a Chromium binary). ' +
  'Playwright never downloads a browser here.';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The Chromium binary to drive: explicit option, then MP_SIM_CHROMIUM, then Debian's paths. */
export function findChromium(explicit?: string): string {
  const wanted = explicit ?? process.env.MP_SIM_CHROMIUM;
  const candidates = wanted ? [wanted] : CANDIDATES;
  for (const candidate of candidates) {
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // try the next one
    }
  }
  throw new Error(`Chromium not found (looked at ${candidates.join(', ')}). ${INSTALL_HINT}`);
}

export interface LaunchedChromium {
  context: BrowserContext;
  /** Closes the browser and removes its temporary profile. Never rejects. */
  close(): Promise<void>;
}

export interface ChromiumLaunchOptions {
  executablePath?: string;
  width: number;
  height: number;
  dpr: number;
  colorScheme: 'light' | 'dark';
  /** Launch timeout in ms (default 30000). */
  timeoutMs?: number;
}

/** Starts headless Chromium with a fresh profile in a temp dir (removed again on close). */
export async function launchChromium(options: ChromiumLaunchOptions): Promise<LaunchedChromium> {
  const executablePath = findChromium(options.executablePath);
  const { chromium } = await import('playwright-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-sim-chromium-'));
  const removeProfile = () => fs.rmSync(profile, { recursive: true, force: true });
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: options.width, height: options.height },
      deviceScaleFactor: options.dpr,
      isMobile: false,
      hasTouch: true,
      colorScheme: options.colorScheme,
      timeout: options.timeoutMs ?? 30_000,
      // Background work (translate, safe browsing...) would only fail on a closed network.
      chromiumSandbox: false,
    });
  } catch (error) {
    removeProfile();
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`Chromium at ${executablePath} failed to start: ${message}`);
  }
  let closing: Promise<void> | null = null;
  return {
    context,
    close() {
      closing ??= context
        .close()
        .catch(() => undefined)
        .then(removeProfile);
      return closing;
    },
  };
}
