'use strict';
// Loads a simulator module: the compiled copy under build/ when it is up to date, otherwise the
// TypeScript sources bundled by esbuild into node_modules/.cache (one file, rebuilt when a source
// changes), so a fresh clone starts fast without a build step.
const fs = require('fs');
const path = require('path');
const { createHash } = require('crypto');

const SRC = path.join(__dirname, 'src');
/** Bump when the bundling settings below change, so cached bundles are rebuilt. */
const BUNDLE_FORMAT = 2;

function newestSource(dir) {
  let newest = 0;
  let count = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const sub = newestSource(full);
      newest = Math.max(newest, sub.newest);
      count += sub.count;
    } else if (entry.name.endsWith('.ts')) {
      newest = Math.max(newest, fs.statSync(full).mtimeMs);
      count++;
    }
  }
  return { newest, count };
}

function bundle(name, { newest, count }) {
  const key = createHash('sha1')
    .update(`${BUNDLE_FORMAT}|${__dirname}|${name}|${newest}|${count}`)
    .digest('hex')
    .slice(0, 16);
  // Inside node_modules so that the bundle's external packages resolve as from the sources.
  const cacheDir = path.join(__dirname, '..', 'node_modules', '.cache', 'wechat-devtools-sim');
  const out = path.join(cacheDir, `${name}-${key}.js`);
  if (!fs.existsSync(out)) {
    const esbuild = require('esbuild');
    const tmp = `${out}.${process.pid}.tmp`;
    esbuild.buildSync({
      entryPoints: [path.join(SRC, `${name}.ts`)],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      packages: 'external',
      // No inline source map: it doubles what every start parses (the bundle keeps names).
      outfile: tmp,
      logLevel: 'silent',
    });
    fs.renameSync(tmp, out);
    // Older bundles of this entry are stale now.
    for (const file of fs.readdirSync(cacheDir)) {
      if (
        file.startsWith(`${name}-`) &&
        file.endsWith('.js') &&
        path.join(cacheDir, file) !== out
      ) {
        fs.rmSync(path.join(cacheDir, file), { force: true });
      }
    }
  }
  return require(out);
}

module.exports = function load(name) {
  const sources = newestSource(SRC);
  const built = path.join(__dirname, '..', 'build', 'simulator', 'src', name + '.js');
  // A build older than the sources is stale (e.g. after a pull): ignore it.
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= sources.newest) return require(built);
  try {
    return bundle(name, sources);
  } catch (error) {
    // No write access to node_modules/.cache: transpile file by file instead.
    if (error && error.code !== 'EACCES' && error.code !== 'EROFS' && error.code !== 'EPERM')
      throw error;
    require('../scripts/register-ts');
    return require(path.join(SRC, name + '.ts'));
  }
};
