#!/usr/bin/env node
'use strict';
// Runs every bench/**/*.bench.ts (or the ones whose path contains an argument) one after the
// other in its own process, so each measures side by side within itself on a quiet heap.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const filters = process.argv.slice(2);
function collect(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return collect(full);
    return entry.name.endsWith('.bench.ts') ? [full] : [];
  });
}
const files = collect(path.join(root, 'bench'))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();
let failed = 0;
for (const file of files) {
  console.log(`\n=== ${path.relative(root, file)}`);
  const result = spawnSync(
    process.execPath,
    ['--expose-gc', '-r', path.join(__dirname, 'register-ts.js'), file],
    { stdio: 'inherit', cwd: root },
  );
  if (result.status !== 0) failed++;
}
if (failed) {
  console.error(`\n${failed} benchmark(s) failed`);
  process.exit(1);
}
