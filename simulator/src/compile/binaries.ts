import fs from 'fs';
import path from 'path';
import { createRequire } from 'module';

// Node's typed resolver (WeChat's typings redeclare the global `require`).
const nodeRequire = createRequire(__filename);

export type CompilerName = 'wcc' | 'wcsc';

/**
 * Path of the official Linux compiler binary shipped by miniprogram-compiler. npm installs it
 * without the execute bit, so it is made executable on first use.
 */
export function compilerBinary(name: CompilerName): string {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `${name}: the official binaries are used on linux x64 only (this is ${process.platform} ${process.arch})`,
    );
  }
  const packageDir = path.dirname(nodeRequire.resolve('miniprogram-compiler/package.json'));
  return ensureExecutable(path.join(packageDir, 'bin', 'linux', name), name);
}

/** Adds the execute bits to `binary` when any is missing; a clear error when that fails. */
export function ensureExecutable(binary: string, name: string): string {
  const mode = fs.statSync(binary).mode;
  if ((mode & 0o111) !== 0o111) {
    try {
      fs.chmodSync(binary, mode | 0o755);
    } catch (error) {
      throw new Error(
        `${name} at ${binary} is not executable and chmod failed: ${(error as Error).message}`,
      );
    }
  }
  return binary;
}
