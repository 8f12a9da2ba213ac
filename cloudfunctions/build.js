#!/usr/bin/env node
'use strict';
/**
 * Builds each cloud function in place: cloudfunctions/<name>/index.ts → cloudfunctions/<name>/index.js
 * (+ package.json), the folder WeChat DevTools uploads from `cloudfunctionRoot` (both generated files
 * are gitignored). esbuild bundles the shared rules (server/src/domain) into every function, so the
 * rules have one source in the repo while each uploaded folder stands alone.
 * Also writes build/cloudfunctions/products.seed.json (the server's seed catalogue, one document
 * per line) for importing into the cloud database's `products` collection.
 *
 * Usage: node cloudfunctions/build.js
 */
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');

const root = path.join(__dirname, '..');
const out = path.join(root, 'build', 'cloudfunctions');
const FUNCTIONS = ['login', 'products', 'favorites'];

fs.mkdirSync(out, { recursive: true });
for (const name of FUNCTIONS) {
  const dir = path.join(__dirname, name);
  esbuild.buildSync({
    entryPoints: [path.join(__dirname, name, 'index.ts')],
    outfile: path.join(dir, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node16',
    format: 'cjs',
    external: ['wx-server-sdk'],
    logLevel: 'warning',
  });
  const manifest = {
    name,
    version: '1.0.0',
    private: true,
    main: 'index.js',
    dependencies: { 'wx-server-sdk': '~3.0.1' },
  };
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`built ${path.relative(root, dir)}`);
}

require(path.join(root, 'scripts', 'register-ts.js'));
const { seedCatalogue } = require(path.join(root, 'server', 'src', 'db', 'seed.ts'));
const { DEFAULT_OPTIONS } = require(path.join(root, 'server', 'src', 'config.ts'));
const lines = seedCatalogue(DEFAULT_OPTIONS.seedProducts).map((product, index) =>
  JSON.stringify({
    _id: product.id,
    seq: index + 1,
    titleLower: product.title.toLowerCase(),
    ...product,
  }),
);
fs.writeFileSync(path.join(out, 'products.seed.json'), `${lines.join('\n')}\n`);
console.log(
  `wrote ${path.relative(root, path.join(out, 'products.seed.json'))} (${lines.length} products)`,
);
