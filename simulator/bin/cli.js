#!/usr/bin/env node
'use strict';
// DevTools-compatible CLI entry (`<cli> auto --project <path> --auto-port <port>`).
// The simulator is written in TypeScript; the compiled build is used when present,
// otherwise the sources are loaded through esbuild's on-the-fly transform.
require('../load')('cli').main(process.argv.slice(2));
