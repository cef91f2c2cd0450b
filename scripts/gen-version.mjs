#!/usr/bin/env node
// Writes src/version.ts from package.json, so every build (tsc, the esbuild bundle, the single executable)
// carries its version instead of reading package.json at run time. Run by the build, typecheck and test
// scripts; the file is generated (git ignores it).
import { readFileSync, writeFileSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
if (typeof version !== 'string' || version === '') {
  process.stderr.write('gen-version: package.json has no "version"; add one (e.g. "0.1.0")\n');
  process.exit(2);
}
const text = `// Generated from package.json by scripts/gen-version.mjs at build time; do not edit.\nexport const VERSION = ${JSON.stringify(version)};\n`;
const file = new URL('src/version.ts', root);
let old = '';
try {
  old = readFileSync(file, 'utf8');
} catch {
  // first build
}
if (old !== text) writeFileSync(file, text);
