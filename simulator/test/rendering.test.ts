import { BASIC, currentPage, openSession, type Session } from './helpers';

// Needs Chromium (as the render layer's own tests do): MP_SIM_CHROMIUM or the system's.
jest.setTimeout(60_000);

let session: Session;
beforeAll(async () => {
  session = await openSession(BASIC, { render: true, launch: { path: 'pages/form/form' } });
});
afterAll(async () => {
  await session.close();
});

describe('layout answers when rendering is enabled', () => {
  it('captures a PNG screenshot of the current page', async () => {
    const data = (await session.mp.screenshot()) as string;
    const png = Buffer.from(data, 'base64');
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
  });

  it('measures elements and reads computed styles', async () => {
    const page = await currentPage(session.mp);
    const styled = await page.$('#styled');
    const size = await styled?.size();
    expect(size?.width).toBeGreaterThan(0);
    expect(size?.height).toBeGreaterThan(0);
    const offset = await styled?.offset();
    expect(offset?.top).toBeGreaterThan(0);
    expect(await styled?.style('color')).toBe('rgb(255, 0, 0)');
    // Text still comes from the tree, without a layout round trip.
    expect(await styled?.text()).toBe('styled');
    const { width } = await page.size();
    expect(width).toBeGreaterThan(0);
  });

  it('follows the phone theme when it changes after start', async () => {
    const page = await currentPage(session.mp);
    const row = await page.$('.row');
    expect(await row?.style('color')).toBe('rgb(51, 51, 51)');
    const controls = session.simulator.controls;
    if (!controls) throw new Error('the simulator has no wx controls');
    controls.setTheme('dark');
    try {
      expect(await row?.style('color')).toBe('rgb(1, 2, 3)');
    } finally {
      controls.setTheme('light');
    }
    expect(await row?.style('color')).toBe('rgb(51, 51, 51)');
  });

  it('gives app selector queries real boxes', async () => {
    const page = await currentPage(session.mp);
    const rect = (await page.callMethod('measureStyled')) as Record<string, number>;
    expect(rect.width).toBeGreaterThan(0);
    expect(rect.height).toBeGreaterThan(0);
    expect(rect.bottom - rect.top).toBeCloseTo(rect.height, 1);
  });
});
