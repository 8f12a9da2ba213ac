'use strict';
/**
 * Builds miniprogram/ into dist/ (the miniprogramRoot WeChat DevTools opens):
 * - TypeScript through gulp-typescript; any type error fails the build.
 * - Build-time constants (__MP_API_BASE__, __MP_ENV__, __MP_VERSION__) replaced in the output.
 * - wxml/wxss/wxs/json/images copied as they are.
 * - "Build npm" done here: only the tdesign-miniprogram files the app's usingComponents reach
 *   (followed through json, js, wxml, wxss and wxs references, with tdesign's own
 *   miniprogram_npm such as tslib) are copied into dist/miniprogram_npm/, so DevTools needs no
 *   "Build npm" click and the main package stays small.
 * `gulp watch` rebuilds what changed.
 */
const fs = require('fs');
const path = require('path');
const { Transform } = require('stream');
const gulp = require('gulp');
const ts = require('gulp-typescript');

const ROOT = __dirname;
const SRC = path.join(ROOT, 'miniprogram');
const DIST = path.join(ROOT, 'dist');
const ASSET_GLOBS = ['**/*.{wxml,wxss,wxs,json,png,jpg,jpeg,gif,svg,webp}', '!tsconfig.json'];

// ---------------------------------------------------------------- build-time constants

function defines() {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  return {
    // `PORT=4000 npm start` builds the app against the port the server is about to use.
    __MP_API_BASE__: process.env.MP_API_BASE || `http://127.0.0.1:${process.env.PORT || 3000}`,
    __MP_ENV__: process.env.MP_ENV || 'development',
    __MP_VERSION__: pkg.version,
  };
}

/** Replaces each define's identifier in emitted JS with its JSON literal. */
function replaceDefines() {
  const values = defines();
  const pattern = new RegExp(`\\b(${Object.keys(values).join('|')})\\b`, 'g');
  return new Transform({
    objectMode: true,
    transform(file, _encoding, callback) {
      if (file.isBuffer() && file.path.endsWith('.js')) {
        const source = file.contents.toString('utf8');
        file.contents = Buffer.from(
          source.replace(pattern, (name) => JSON.stringify(values[name])),
        );
      }
      callback(null, file);
    },
  });
}

// ---------------------------------------------------------------- TypeScript

// isolatedModules makes gulp-typescript transpile file by file without type information.
const tsProject = ts.createProject(path.join(SRC, 'tsconfig.json'), { isolatedModules: false });

function compileTypeScript() {
  let failed = false;
  const result = tsProject.src().pipe(tsProject(ts.reporter.longReporter()));
  result.on('error', () => {
    failed = true;
  });
  return result.js
    .pipe(replaceDefines())
    .pipe(gulp.dest(DIST))
    .on('finish', () => {
      if (failed && !watching) {
        // gulp-typescript reports and goes on; a build with type errors must not pass.
        console.error('TypeScript errors: build failed');
        process.exitCode = 1;
      }
    });
}
compileTypeScript.displayName = 'typescript';

function copyAssets() {
  return gulp.src(ASSET_GLOBS, { cwd: SRC, base: SRC, encoding: false }).pipe(gulp.dest(DIST));
}
copyAssets.displayName = 'assets';

// ---------------------------------------------------------------- npm (tdesign, selectively)

const NPM_PACKAGES = {
  'tdesign-miniprogram': path.join(ROOT, 'node_modules', 'tdesign-miniprogram', 'miniprogram_dist'),
};
const COMPONENT_EXTENSIONS = ['.js', '.json', '.wxml', '.wxss'];

function listFiles(dir, filter) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'miniprogram_npm' ? [] : listFiles(full, filter);
    return filter(full) ? [full] : [];
  });
}

/** Every usingComponents value of the app's own json files (app.json, pages, components). */
function appComponentReferences() {
  const references = [];
  for (const file of listFiles(SRC, (f) => f.endsWith('.json') && !f.endsWith('tsconfig.json'))) {
    let json;
    try {
      json = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`${path.relative(ROOT, file)}: invalid JSON (${error.message})`);
    }
    for (const value of Object.values(json.usingComponents || {})) {
      references.push({ from: file, value });
    }
  }
  return references;
}

/** Bare imports of npm packages from the app's own TypeScript, e.g. a tdesign locale file. */
function appModuleReferences() {
  const references = [];
  const pattern =
    /(?:^|[^\w$."'])(?:from|import)\s*["']([^"'./][^"']*)["']|\brequire\(\s*["']([^"'./][^"']*)["']/g;
  for (const file of listFiles(SRC, (f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))) {
    const source = fs.readFileSync(file, 'utf8');
    for (const match of source.matchAll(pattern)) {
      const value = match[1] || match[2];
      if (NPM_PACKAGES[splitBare(value).name]) references.push({ from: file, value });
    }
  }
  return references;
}

/** Splits `pkg/sub/path` (or `@scope/pkg/sub`) into package name and sub path. */
function splitBare(specifier) {
  const parts = specifier.split('/');
  const count = specifier.startsWith('@') ? 2 : 1;
  return { name: parts.slice(0, count).join('/'), sub: parts.slice(count).join('/') };
}

function resolveFile(base, extensions) {
  const candidates = [base, ...extensions.map((ext) => base + ext)];
  candidates.push(...extensions.map((ext) => path.join(base, 'index' + ext)));
  return candidates.find(
    (candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile(),
  );
}

/**
 * Collects the files of one npm package reached from `entries` (component bases without
 * extension), following references the way WeChat resolves them: relative paths, then
 * `miniprogram_npm/<pkg>` walking up from the referring file.
 */
function collectPackageFiles(packageRoot, entries, moduleEntries = []) {
  const files = new Set();
  const queue = [];
  const addFile = (file) => {
    if (!file || files.has(file)) return;
    if (!file.startsWith(packageRoot + path.sep)) {
      throw new Error(`npm build: ${file} lies outside ${packageRoot}`);
    }
    files.add(file);
    queue.push(file);
  };
  const addComponent = (base) => {
    const found = COMPONENT_EXTENSIONS.map((ext) => base + ext).filter((f) => fs.existsSync(f));
    if (!found.some((f) => f.endsWith('.json'))) {
      throw new Error(`npm build: component ${path.relative(ROOT, base)} not found`);
    }
    found.forEach(addFile);
  };
  const resolveBareModule = (fromFile, specifier) => {
    const { name, sub } = splitBare(specifier);
    for (let dir = path.dirname(fromFile); dir.startsWith(packageRoot); dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'miniprogram_npm', name);
      if (fs.existsSync(candidate))
        return resolveFile(path.join(candidate, sub || 'index'), ['.js']);
      if (dir === packageRoot) break;
    }
    throw new Error(
      `npm build: cannot resolve "${specifier}" from ${path.relative(ROOT, fromFile)}`,
    );
  };
  const resolveModule = (fromFile, specifier, extensions) => {
    if (specifier.startsWith('.')) {
      const resolved = resolveFile(path.resolve(path.dirname(fromFile), specifier), extensions);
      if (!resolved) {
        throw new Error(
          `npm build: "${specifier}" not found from ${path.relative(ROOT, fromFile)}`,
        );
      }
      return resolved;
    }
    if (specifier.startsWith('/'))
      return resolveFile(path.join(packageRoot, specifier), extensions);
    return resolveBareModule(fromFile, specifier);
  };

  entries.forEach(addComponent);
  for (const entry of moduleEntries) {
    const file = resolveFile(entry, ['.js']);
    if (!file) throw new Error(`npm build: module ${path.relative(ROOT, entry)} not found`);
    addFile(file);
  }
  while (queue.length > 0) {
    const file = queue.shift();
    const source = fs.readFileSync(file, 'utf8');
    const ext = path.extname(file);
    if (ext === '.json') {
      const json = JSON.parse(source);
      // Generic slots name a default component that is rendered when the user passes none.
      const genericDefaults = Object.values(json.componentGenerics || {})
        .map((generic) => generic && generic.default)
        .filter(Boolean);
      for (const value of [...Object.values(json.usingComponents || {}), ...genericDefaults]) {
        if (value.startsWith('.')) addComponent(path.resolve(path.dirname(file), value));
        else if (value.startsWith('/')) addComponent(path.join(packageRoot, value));
        // Plugin or other package references (plugin://, another npm package) are left to DevTools.
      }
    } else if (ext === '.js' || ext === '.wxs') {
      // `from`/`import` must not follow a quote or a dot: `["from","to"]` is data, not an import.
      const pattern = /(?:(?:^|[^\w$."'])(?:from|import)\s*|\brequire\s*\(\s*)["']([^"'\s,]+)["']/g;
      for (const match of source.matchAll(pattern))
        addFile(resolveModule(file, match[1], ['.js', '.wxs']));
    } else if (ext === '.wxml') {
      const pattern = /<(?:import|include|wxs)\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/g;
      for (const match of source.matchAll(pattern)) {
        addFile(resolveModule(file, match[1], ['.wxml', '.wxs']));
      }
    } else if (ext === '.wxss') {
      for (const match of source.matchAll(/@import\s+["']([^"']+)["']/g)) {
        addFile(resolveModule(file, match[1], ['.wxss']));
      }
    }
  }
  return files;
}

function buildNpm(done) {
  const byPackage = new Map();
  const entriesOf = (name) => {
    if (!byPackage.has(name)) byPackage.set(name, { components: new Set(), modules: new Set() });
    return byPackage.get(name);
  };
  for (const { from, value } of appComponentReferences()) {
    const { name, sub } = splitBare(value);
    if (value.startsWith('.') || value.startsWith('/') || value.startsWith('plugin://')) continue;
    const root = NPM_PACKAGES[name];
    if (!root) {
      throw new Error(`${path.relative(ROOT, from)}: "${value}" is not from a package gulp builds`);
    }
    entriesOf(name).components.add(path.join(root, sub));
  }
  for (const { value } of appModuleReferences()) {
    const { name, sub } = splitBare(value);
    entriesOf(name).modules.add(path.join(NPM_PACKAGES[name], sub || 'index'));
  }
  const target = path.join(DIST, 'miniprogram_npm');
  fs.rmSync(target, { recursive: true, force: true });
  let count = 0;
  for (const [name, entries] of byPackage) {
    const root = NPM_PACKAGES[name];
    for (const file of collectPackageFiles(root, [...entries.components], [...entries.modules])) {
      const destination = path.join(target, name, path.relative(root, file));
      fs.mkdirSync(path.dirname(destination), { recursive: true });
      fs.copyFileSync(file, destination);
      count++;
    }
  }
  console.log(`npm: ${count} files from ${[...byPackage.keys()].join(', ') || 'no packages'}`);
  done();
}
buildNpm.displayName = 'npm';

// ---------------------------------------------------------------- tasks

let watching = false;

function clean(done) {
  fs.rmSync(DIST, { recursive: true, force: true });
  done();
}

function failOnTypeErrors(done) {
  done(process.exitCode ? new Error('TypeScript errors') : undefined);
}

const build = gulp.series(
  clean,
  gulp.parallel(compileTypeScript, copyAssets),
  buildNpm,
  failOnTypeErrors,
);

function watch() {
  watching = true;
  gulp.watch(['**/*.ts', '../typings/**/*.d.ts'], { cwd: SRC }, compileTypeScript);
  gulp.watch(ASSET_GLOBS, { cwd: SRC }, copyAssets);
  gulp.watch('**/*.json', { cwd: SRC }, buildNpm);
}

exports.clean = clean;
exports.build = build;
exports.npm = buildNpm;
exports.watch = gulp.series(build, watch);
exports.default = build;
