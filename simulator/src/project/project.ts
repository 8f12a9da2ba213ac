import fs from 'fs';
import path from 'path';

export interface TabBarItem {
  pagePath: string;
  text?: string;
}

export interface AppJson {
  pages: string[];
  entryPagePath?: string;
  window?: Record<string, unknown>;
  tabBar?: { list: TabBarItem[]; [key: string]: unknown };
  subpackages?: SubPackage[];
  subPackages?: SubPackage[];
  usingComponents?: Record<string, string>;
  [key: string]: unknown;
}

export interface SubPackage {
  root: string;
  pages: string[];
  name?: string;
}

export interface ProjectConfig {
  appid?: string;
  miniprogramRoot?: string;
  [key: string]: unknown;
}

/** A mini program project as DevTools reads it. */
export interface Project {
  /** The folder DevTools opens (holds project.config.json). */
  projectPath: string;
  /** The mini program root (miniprogramRoot, e.g. `dist/`): where app.json lives. */
  root: string;
  projectConfig: ProjectConfig;
  appJson: AppJson;
  /** Every page route (main package and subpackages), without leading slash. */
  routes: string[];
  tabBarRoutes: string[];
  entryRoute: string;
}

export function readJsonFile<T>(file: string): T {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new Error(`invalid JSON in ${file}: ${(error as Error).message}`);
  }
}

/** Reads project.config.json and app.json; throws a clear error when the project is unusable. */
export function loadProject(projectPath: string): Project {
  const absolute = path.resolve(projectPath);
  if (!fs.existsSync(absolute) || !fs.statSync(absolute).isDirectory()) {
    throw new Error(`project path ${absolute} is not a directory`);
  }
  const configFile = path.join(absolute, 'project.config.json');
  const projectConfig = fs.existsSync(configFile)
    ? readJsonFile<ProjectConfig>(configFile)
    : ({} as ProjectConfig);
  const root = path.resolve(absolute, projectConfig.miniprogramRoot ?? '');
  const appJsonFile = path.join(root, 'app.json');
  if (!fs.existsSync(appJsonFile)) {
    throw new Error(
      `no app.json in ${root} (miniprogramRoot "${projectConfig.miniprogramRoot ?? ''}"); ` +
        'build the mini program first (npm run build)',
    );
  }
  const appJson = readJsonFile<AppJson>(appJsonFile);
  if (!Array.isArray(appJson.pages) || appJson.pages.length === 0) {
    throw new Error(`${appJsonFile}: "pages" must be a non-empty array`);
  }
  const routes = [...appJson.pages];
  for (const sub of appJson.subpackages ?? appJson.subPackages ?? []) {
    const prefix = sub.root.replace(/^\/+|\/+$/g, '');
    for (const page of sub.pages ?? []) routes.push(`${prefix}/${page}`);
  }
  const tabBarRoutes = (appJson.tabBar?.list ?? []).map((item) => normalizeRoute(item.pagePath));
  const entryRoute = normalizeRoute(appJson.entryPagePath ?? appJson.pages[0]);
  return { projectPath: absolute, root, projectConfig, appJson, routes, tabBarRoutes, entryRoute };
}

/** `/pages/a/b.html?x=1` → `pages/a/b` (no query, no leading slash, no extension). */
export function normalizeRoute(route: string): string {
  return route
    .split('?')[0]
    .replace(/^\/+/, '')
    .replace(/\.(html|js|wxml)$/, '');
}
