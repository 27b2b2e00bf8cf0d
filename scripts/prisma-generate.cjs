#!/usr/bin/env node
// `prisma generate` needs no schema engine (it runs on WebAssembly), but the CLI
// still tries to download the native one unless PRISMA_SCHEMA_ENGINE_BINARY
// names an existing file. On machines that reach only the npm registry that
// download fails, so point it at a placeholder that is never executed.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) {
  const placeholder = path.join(os.tmpdir(), 'dalaba-no-schema-engine');
  fs.writeFileSync(placeholder, '#!/bin/sh\nexit 1\n', { mode: 0o755 });
  env.PRISMA_SCHEMA_ENGINE_BINARY = placeholder;
}
const cli = require.resolve('prisma/build/index.js');
execFileSync(process.execPath, [cli, 'generate'], {
  cwd: path.join(__dirname, '..'),
  env,
  stdio: ['ignore', 'inherit', 'inherit'],
});
