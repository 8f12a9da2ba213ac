'use strict';
// Require hook: lets plain `node` load TypeScript sources (benchmarks, the simulator CLI without
// a build). esbuild transpiles each file on require; types are checked by `npm run typecheck`.
const fs = require('fs');

if (!require.extensions['.ts']) {
  const esbuild = require('esbuild');
  require.extensions['.ts'] = (module, filename) => {
    const { code } = esbuild.transformSync(fs.readFileSync(filename, 'utf8'), {
      loader: 'ts',
      format: 'cjs',
      target: 'node20',
      sourcefile: filename,
      sourcemap: 'inline',
    });
    module._compile(code, filename);
  };
}
