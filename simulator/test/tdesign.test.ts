import fs from 'fs';
import { assembleTdesignFixture, currentPage, openSession, waitFor, type Session } from './helpers';

let session: Session;
let projectPath: string;
const exceptions: unknown[] = [];
const errorLogs: unknown[] = [];

beforeAll(async () => {
  projectPath = assembleTdesignFixture();
  session = await openSession(projectPath);
  session.simulator.runtime.on('exception', (entry) => exceptions.push(entry));
  session.simulator.runtime.on('log', (entry: { type: string }) => {
    if (entry.type === 'error') errorLogs.push(entry);
  });
});
afterAll(async () => {
  await session.close();
  fs.rmSync(projectPath, { recursive: true, force: true });
});

describe('tdesign-miniprogram components', () => {
  it('render with their inner markup and no exparser errors', async () => {
    const page = await currentPage(session.mp);
    const button = await page.$('#primary');
    expect(button?.tagName).toBe('t-button');
    expect(await button?.text()).toBe('Tap me');
    const inner = await button?.$('button');
    expect(await inner?.attribute('class')).toContain('t-button--primary');
    expect(await (await page.$('t-cell'))?.text()).toContain('Cell title');
    expect(await (await page.$('.tag'))?.text()).toBe('tag text');
    await page.setData({ loading: true });
    expect(await page.$('t-loading')).not.toBeNull();
    expect(exceptions).toEqual([]);
    expect(errorLogs).toEqual([]);
  });

  it('t-button responds to a tap like a finger, and ignores it when disabled', async () => {
    const page = await currentPage(session.mp);
    await (await page.$('#primary'))?.tap();
    await (await page.$('#primary'))?.tap();
    expect(await page.data('taps')).toBe(2);
    expect(await (await page.$('.taps'))?.text()).toBe('taps: 2');
    await (await page.$('#disabled-btn'))?.tap();
    expect(await page.data('disabledTaps')).toBe(0);
  });

  it('t-input passes typed text to the page through its change event', async () => {
    const page = await currentPage(session.mp);
    const field = await page.$('t-input');
    const input = (await field?.$('input')) as unknown as {
      input(value: string): Promise<void>;
    } | null;
    expect(input).not.toBeNull();
    await input?.input('Grace');
    expect(await page.data('name')).toBe('Grace');
  });

  it('t-cell-group relations reach its cells; t-image loads; t-empty shows its text', async () => {
    const page = await currentPage(session.mp);
    const last = (await page.$('#last-cell')) as unknown as {
      data(path: string): Promise<unknown>;
    };
    const first = (await page.$('#first-cell')) as unknown as {
      data(path: string): Promise<unknown>;
    };
    expect(await last.data('isLastChild')).toBe(true);
    expect(await first.data('isLastChild')).toBe(false);
    expect(await (await page.$('#group'))?.text()).toBe('GroupFirstLast');
    await waitFor(async () => (await page.data('image')) === 'loaded');
    expect(await (await page.$('t-empty'))?.text()).toBe('Nothing here');
  });

  it('t-message shows through its JS API (selectComponent on the page)', async () => {
    const page = await currentPage(session.mp);
    await page.callMethod('showMessage', 'Saved!');
    await waitFor(async () => (await (await page.$('t-message'))?.text()) === 'Saved!');
  });

  it('t-switch toggles on tap; component properties are readable', async () => {
    const page = await currentPage(session.mp);
    const toggle = await page.$('t-switch');
    await toggle?.tap();
    expect(await page.data('on')).toBe(true);
    expect(await toggle?.property('value')).toBe(true);
    const custom = toggle as unknown as { data(path?: string): Promise<unknown> };
    expect(await custom.data('value')).toBe(true);
  });
});
