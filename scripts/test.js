#!/usr/bin/env node
'use strict';
/**
 * `npm test`: the whole check, in the order a reviewer would want it to fail fast:
 * lint → typecheck → build → unit (with coverage) → server → simulator → e2e.
 * Prints one closing line `N passed, N failed` (jest tests plus the non-jest steps) and exits
 * non-zero on any failure. `npm test -- unit server` runs only the named steps.
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const jestBin = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');

const steps = [
  { name: 'lint', run: () => command(npm, ['run', '-s', 'lint']) },
  { name: 'typecheck', run: () => command(npm, ['run', '-s', 'typecheck']) },
  { name: 'build', run: () => command(npm, ['run', '-s', 'build']) },
  { name: 'unit', run: () => jest('unit', ['--coverage']) },
  { name: 'server', run: () => jest('server') },
  { name: 'simulator', run: () => jest('simulator') },
  // One phone, one backend: e2e files run one after the other.
  { name: 'e2e', run: () => jest('e2e', ['--runInBand']) },
];

function command(cmd, args) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', cwd: root });
  return result.status === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
}

function jest(project, extra = []) {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jest-')), 'result.json');
  const result = spawnSync(
    process.execPath,
    [
      jestBin,
      '--selectProjects',
      project,
      '--passWithNoTests',
      '--json',
      '--outputFile',
      out,
      ...extra,
    ],
    { stdio: 'inherit', cwd: root },
  );
  let summary = { passed: 0, failed: result.status === 0 ? 0 : 1 };
  if (fs.existsSync(out)) {
    const json = JSON.parse(fs.readFileSync(out, 'utf8'));
    // A suite that fails to load has no failed tests but is a failure all the same.
    const brokenSuites = json.numRuntimeErrorTestSuites || 0;
    summary = {
      passed: json.numPassedTests,
      failed:
        json.numFailedTests +
        brokenSuites +
        (result.status !== 0 && json.numFailedTests + brokenSuites === 0 ? 1 : 0),
    };
  }
  return summary;
}

const only = process.argv.slice(2);
let passed = 0;
let failed = 0;
const report = [];
for (const step of steps) {
  if (only.length && !only.includes(step.name)) continue;
  const started = Date.now();
  console.log(`\n▶ ${step.name}`);
  const result = step.run();
  passed += result.passed;
  failed += result.failed;
  report.push(
    `${step.name}: ${result.passed} passed, ${result.failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
}
console.log('\n' + report.join('\n'));
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
