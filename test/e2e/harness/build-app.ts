/**
 * Builds the app for one e2e run with the backend's origin baked in (MP_API_BASE).
 *
 * WHY a private copy: `gulp build` cleans and rewrites `<root>/dist`, and other tools (a developer's
 * DevTools, a concurrent `npm test`) use the repository's dist/. The run builds a snapshot of the
 * sources in its own temp project root instead, so it neither disturbs them nor is disturbed.
 */
import { execFileSync, spawn } from 'child_process';
import fs from 'fs';
import path from 'path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** What a project root needs for `gulp build` (node_modules is linked, not copied). */
const PROJECT_FILES = [
  'miniprogram',
  'typings',
  'gulpfile.js',
  'package.json',
  'tsconfig.base.json',
  'project.config.json',
];

export interface BuiltApp {
  /** The project root (project.config.json → miniprogramRoot dist/). */
  projectPath: string;
  /** The built mini program (where app.json lives). */
  distPath: string;
  buildMs: number;
}

export async function buildApp(targetRoot: string, apiBase: string): Promise<BuiltApp> {
  const started = Date.now();
  fs.mkdirSync(targetRoot, { recursive: true });
  // MP_E2E_SOURCE=<git ref> builds a commit instead of the working tree (e.g. while files are
  // being edited, or to soak-test exactly what was committed).
  const ref = process.env.MP_E2E_SOURCE;
  if (ref) {
    execFileSync(
      'sh',
      ['-c', `git archive "$0" "$@" | tar -x -C "${targetRoot}"`, ref, ...PROJECT_FILES],
      {
        cwd: REPO_ROOT,
      },
    );
  } else {
    for (const name of PROJECT_FILES) {
      fs.cpSync(path.join(REPO_ROOT, name), path.join(targetRoot, name), { recursive: true });
    }
  }
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(targetRoot, 'node_modules'));

  const gulp = path.join(REPO_ROOT, 'node_modules', 'gulp', 'bin', 'gulp.js');
  const args = [gulp, '--gulpfile', path.join(targetRoot, 'gulpfile.js'), '--cwd', targetRoot];
  const output = await run(process.execPath, [...args, 'build'], {
    ...process.env,
    MP_API_BASE: apiBase,
    MP_ENV: 'development',
  });
  const distPath = path.join(targetRoot, 'dist');
  if (!fs.existsSync(path.join(distPath, 'app.json'))) {
    throw new Error(`gulp build produced no dist/app.json\n${output.slice(-4000)}`);
  }
  return { projectPath: targetRoot, distPath, buildMs: Date.now() - started };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`gulp build failed (exit ${code}):\n${output.slice(-6000)}`));
    });
  });
}
