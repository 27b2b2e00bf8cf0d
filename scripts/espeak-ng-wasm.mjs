#!/usr/bin/env node
// espeak-ng for machines without the native binary: the npm package's
// WebAssembly build, behind the same command line (the subset Dalaba uses:
// -v VOICE, -b 1, -w FILE, --stdin). It runs as its own process because the
// package is GPL-3.0-or-later and ESM, and so that a crash cannot take the
// worker with it.
import { readFileSync, writeFileSync } from 'node:fs';
import ESpeakNg from 'espeak-ng';

const args = process.argv.slice(2);
let outputPath;
const passed = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '-w') outputPath = args[++i];
  else if (args[i] === '--stdin') passed.push(readFileSync(0, 'utf8'));
  else passed.push(args[i]);
}
if (!outputPath) {
  console.error('usage: espeak-ng-wasm.mjs -v VOICE -w OUT.wav --stdin < text');
  process.exit(2);
}

const errors = [];
try {
  const espeak = await ESpeakNg({
    arguments: ['-w', 'out.wav', ...passed],
    print: () => {},
    printErr: (line) => errors.push(line),
  });
  writeFileSync(outputPath, espeak.FS.readFile('out.wav'));
} catch {
  console.error(errors.filter((line) => !line.includes('keepRuntimeAlive')).join('\n') || 'espeak-ng failed');
  process.exit(1);
}
