#!/usr/bin/env node
'use strict';
/**
 * Flakiness soak for the e2e suite: runs `jest --selectProjects e2e` N times in a row (default 10,
 * `node scripts/e2e-soak.js 20` or E2E_SOAK_RUNS=20), each run a fresh harness (backend, build,
 * simulator), and prints per run: wall time, passed/failed; then per scenario: median and max
 * duration and how many runs it failed in. Exits non-zero when any run had a failure.
 * Further arguments go to jest, e.g. `node scripts/e2e-soak.js 10 test/e2e/specs` (path filter).
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..');
const jestBin = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
const runs = Number(process.argv[2] || process.env.E2E_SOAK_RUNS || 10);
const jestArgs = process.argv.slice(3);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(
    `e2e-soak: the number of runs must be a positive integer, got "${process.argv[2]}"`,
  );
  process.exit(2);
}

const scenarios = new Map(); // name → { durations: number[], failures: number }
const walls = [];
let failedRuns = 0;
let failedTests = 0;

for (let run = 1; run <= runs; run++) {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-soak-')), 'result.json');
  const started = Date.now();
  const result = spawnSync(
    process.execPath,
    [jestBin, ...jestArgs, '--selectProjects', 'e2e', '--json', '--outputFile', out, '--silent'],
    { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' },
  );
  const wall = Date.now() - started;
  walls.push(wall);
  let passed = 0;
  let failed = 0;
  if (fs.existsSync(out)) {
    const json = JSON.parse(fs.readFileSync(out, 'utf8'));
    for (const file of json.testResults) {
      for (const test of file.assertionResults) {
        const entry = scenarios.get(test.fullName) || { durations: [], failures: 0 };
        if (typeof test.duration === 'number') entry.durations.push(test.duration);
        if (test.status === 'failed') entry.failures += 1;
        scenarios.set(test.fullName, entry);
      }
    }
    passed = json.numPassedTests;
    failed = json.numFailedTests + (json.numRuntimeErrorTestSuites || 0);
  }
  if (result.status !== 0 && failed === 0) failed = 1; // setup crashed: no test results at all
  if (failed > 0) {
    failedRuns += 1;
    failedTests += failed;
    const lines = (result.stderr || '').split('\n');
    const summary = lines.filter((line) => /●|✕|Error/.test(line)).slice(0, 12);
    console.log(summary.join('\n'));
  }
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  console.log(
    `run ${run}/${runs}: ${(wall / 1000).toFixed(1)} s, ${passed} passed, ${failed} failed`,
  );
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : 0;
};
console.log('\nper scenario (median / max ms, failed runs):');
for (const [name, { durations, failures }] of scenarios) {
  const max = durations.length ? Math.max(...durations) : 0;
  console.log(
    `  ${String(median(durations)).padStart(6)} / ${String(max).padStart(6)}  ${failures}  ${name}`,
  );
}
console.log(
  `\nwhole suite wall time: median ${(median(walls) / 1000).toFixed(1)} s, ` +
    `max ${(Math.max(...walls) / 1000).toFixed(1)} s (goal < 60 s)`,
);
console.log(`${runs} runs, ${failedRuns} with failures, ${failedTests} failed tests (goal 0)`);
process.exit(failedRuns === 0 ? 0 : 1);
