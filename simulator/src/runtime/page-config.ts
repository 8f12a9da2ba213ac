import fs from 'fs';
import path from 'path';
import type { Project } from '../project/project';
import type { ChromeState, NavigationBarState } from './ui-state';

/** app.json `window` overlaid with the page's own json (what WeChat applies to the page). */
export function pageConfig(project: Project, route: string): Record<string, unknown> {
  const own = path.join(project.root, `${route}.json`);
  let page: Record<string, unknown> = {};
  if (fs.existsSync(own)) {
    try {
      page = JSON.parse(fs.readFileSync(own, 'utf8')) as Record<string, unknown>;
    } catch {
      page = {};
    }
  }
  return { ...((project.appJson.window ?? {}) as Record<string, unknown>), ...page };
}

/** The navigation bar a page starts with, from its config. */
export function navigationBarFor(project: Project, route: string): NavigationBarState {
  const config = pageConfig(project, route);
  return {
    title: String(config.navigationBarTitleText ?? ''),
    frontColor: config.navigationBarTextStyle === 'white' ? '#ffffff' : '#000000',
    backgroundColor: String(config.navigationBarBackgroundColor ?? '#000000'),
    loading: false,
  };
}

/** Screen chrome at launch; `navigationBar` always shows the current page's own bar. */
export function initialChrome(
  project: Project,
  currentBar: () => NavigationBarState | undefined,
): ChromeState {
  const tabBar = project.appJson.tabBar;
  const fallback = navigationBarFor(project, 'app');
  const chrome = {
    tabBar: tabBar
      ? {
          visible: true,
          style: {},
          items: tabBar.list.map((item) => ({
            pagePath: item.pagePath,
            text: item.text ?? '',
            badge: null,
            redDot: false,
          })),
        }
      : null,
    pullDownRefreshing: false,
    backgroundColor: {},
  } as Omit<ChromeState, 'navigationBar'>;
  Object.defineProperty(chrome, 'navigationBar', {
    enumerable: true,
    get: () => currentBar() ?? fallback,
  });
  return chrome as ChromeState;
}
