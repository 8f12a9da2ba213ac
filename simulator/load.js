'use strict';
// Loads a simulator module: the compiled copy under build/ when it exists, otherwise the
// TypeScript source through the esbuild require hook (no build step needed in a fresh clone).
const fs = require('fs');
const path = require('path');

module.exports = function load(name) {
  const built = path.join(__dirname, '..', 'build', 'simulator', 'src', name + '.js');
  if (fs.existsSync(built)) return require(built);
  require('../scripts/register-ts');
  return require(path.join(__dirname, 'src', name + '.ts'));
};
