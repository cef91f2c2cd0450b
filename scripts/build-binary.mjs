#!/usr/bin/env node
// `npm run build:binary`: the single executable for this machine's platform, dist/bin/kubectl-ds_inspect
// (.exe on Windows), plus the kubectl completion helper kubectl_complete-ds_inspect beside it.
// Node's single executable applications: the bundle (scripts/bundle.mjs) becomes a preparation blob
// (`node --experimental-sea-config`) that postject injects into a copy of this very node binary, so the
// executable needs nothing installed. The blob carries V8's code cache of the bundle (the default), or,
// with --snapshot, a startup snapshot with the command layer already loaded, or with --plain neither;
// bench/run.mjs measures the three (README "Performance"). --out=DIR writes elsewhere than dist/bin.
// Other platforms: run this on a machine of that platform (.github/workflows/release.yml does).
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import postject from 'postject';
import { hostPlatform } from './platform.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const BUNDLE = join(ROOT, 'dist/kubectl-ds_inspect.cjs');
const outArg = process.argv.find((a) => a.startsWith('--out='))?.slice('--out='.length);
const OUT_DIR = outArg ? resolve(outArg) : join(ROOT, 'dist/bin');
const WORK = join(OUT_DIR, '.sea-work');
// The fuse Node's SEA support looks for in its own binary (Node docs, "Single executable applications").
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const snapshot = process.argv.includes('--snapshot');
const plain = process.argv.includes('--plain');

const fail = (msg) => {
  process.stderr.write(`build-binary: ${msg}\n`);
  process.exit(1);
};

if (!existsSync(BUNDLE)) fail('dist/kubectl-ds_inspect.cjs is missing: run `npm run build` first (npm run build:binary does)');
const { os, exe } = hostPlatform();
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

rmSync(WORK, { recursive: true, force: true });
mkdirSync(WORK, { recursive: true });
mkdirSync(OUT_DIR, { recursive: true });
const blob = join(WORK, 'sea.blob');
const config = {
  main: BUNDLE,
  output: blob,
  disableExperimentalSEAWarning: true,
  ...(snapshot ? { useSnapshot: true } : plain ? {} : { useCodeCache: true }),
};
writeFileSync(join(WORK, 'sea-config.json'), JSON.stringify(config, null, 2));
// The blob must come from the same Node binary it is injected into: both are process.execPath.
execFileSync(process.execPath, ['--experimental-sea-config', join(WORK, 'sea-config.json')], { stdio: ['ignore', 'ignore', 'inherit'] });

const target = join(OUT_DIR, `kubectl-ds_inspect${exe}`);
rmSync(target, { force: true });
copyFileSync(process.execPath, target);
chmodSync(target, 0o755);
if (os === 'darwin') execFileSync('codesign', ['--remove-signature', target], { stdio: 'inherit' });
await postject.inject(target, 'NODE_SEA_BLOB', readFileSync(blob), {
  sentinelFuse: FUSE,
  ...(os === 'darwin' ? { machoSegmentName: 'NODE_SEA' } : {}),
});
if (os === 'darwin') execFileSync('codesign', ['--sign', '-', target], { stdio: 'inherit' });

// kubectl (1.26+) runs `kubectl_complete-ds_inspect ARGS...` for `kubectl ds-inspect ARGS<TAB>`.
const helper = join(OUT_DIR, os === 'windows' ? 'kubectl_complete-ds_inspect.cmd' : 'kubectl_complete-ds_inspect');
if (os === 'windows') {
  writeFileSync(helper, '@echo off\r\n"%~dp0kubectl-ds_inspect.exe" __complete %*\r\n');
} else {
  copyFileSync(join(ROOT, 'scripts/kubectl_complete-ds_inspect.sh'), helper);
  chmodSync(helper, 0o755);
}

rmSync(WORK, { recursive: true, force: true });
const printed = execFileSync(target, ['--version'], { encoding: 'utf8' }).trim();
if (printed !== version) fail(`${target} --version printed "${printed}", expected "${version}": rebuild with \`npm run build:binary\``);
const mb = (statSync(target).size / 2 ** 20).toFixed(1);
process.stderr.write(`build-binary: ${target} (${mb} MB, ${snapshot ? 'startup snapshot' : plain ? 'no code cache' : 'code cache'}, version ${printed}) and ${helper}\n`);
