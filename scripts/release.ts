// `npm run release`: packs this machine's single executable (npm run build:binary) into
// dist/release/kubectl-ds_inspect-<os>-<arch>.tar.gz (executable, completion helper, LICENSE, all at the
// root) and writes the krew manifest plugins/ds-inspect.yaml for every archive in dist/release/.
//   --archives=DIR    take the archives from DIR and pack nothing (the release workflow's publish job,
//                     which gathers every platform's archive)
//   --require-all     fail unless all six platforms are there (the workflow uses it)
//   --base-url=URL    where the archives are downloaded from (default: package.json homepage
//                     + /releases/download/v<version>)
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { stringify } from 'yaml';
import { PLATFORMS, PLUGIN, archiveFiles, archiveName, krewManifest, type ReleaseArchive } from './krew-manifest.ts';
import { hostPlatform } from './platform.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

function fail(msg: string): never {
  process.stderr.write(`release: ${msg}\n`);
  process.exit(1);
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; homepage?: string };
if (!pkg.homepage) fail('package.json has no "homepage": add the project\'s URL (krew requires one)');

function pack(): string {
  const { os, arch } = hostPlatform();
  const f = archiveFiles(os);
  const exe = join(ROOT, 'dist/bin', f.bin);
  if (!existsSync(exe)) fail(`${exe} is missing: run \`npm run build:binary\` first`);
  const printed = execFileSync(exe, ['--version'], { encoding: 'utf8' }).trim();
  if (printed !== pkg.version) fail(`dist/bin/${f.bin} is version ${printed}, package.json says ${pkg.version}: run \`npm run build:binary\` again`);
  const stage = mkdtempSync(join(tmpdir(), 'ds-inspect-release-'));
  try {
    copyFileSync(exe, join(stage, f.bin));
    copyFileSync(join(ROOT, 'dist/bin', f.completion), join(stage, f.completion));
    copyFileSync(join(ROOT, 'LICENSE'), join(stage, f.license));
    const names = [f.bin, f.completion, f.license];
    // Same bytes for the same inputs: fixed owner and mtime, gzip without a timestamp.
    const gnu = /GNU tar/.test(execFileSync('tar', ['--version'], { encoding: 'utf8' }));
    const fixed = gnu ? ['--owner=0', '--group=0', '--numeric-owner', '--mtime=@0'] : [];
    const tarBytes = execFileSync('tar', ['-C', stage, ...fixed, '-cf', '-', ...names], { maxBuffer: 1 << 30 });
    const out = join(ROOT, 'dist/release', archiveName(os, arch));
    mkdirSync(join(ROOT, 'dist/release'), { recursive: true });
    writeFileSync(out, gzipSync(tarBytes, { level: 9 }));
    return out;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

const fromDir = arg('archives');
if (!fromDir) process.stderr.write(`release: packed ${pack()}\n`);
const dir = fromDir ?? join(ROOT, 'dist/release');
const archives: ReleaseArchive[] = [];
const present = new Set(readdirSync(dir));
for (const p of PLATFORMS) {
  const name = archiveName(p.os, p.arch);
  if (!present.has(name)) continue;
  archives.push({ ...p, sha256: createHash('sha256').update(readFileSync(join(dir, name))).digest('hex') });
}
const missing = PLATFORMS.filter((p) => !archives.some((a) => a.os === p.os && a.arch === p.arch)).map((p) => `${p.os}/${p.arch}`);
if (missing.length > 0 && process.argv.includes('--require-all')) fail(`no archive for ${missing.join(', ')} in ${dir}: build each on its own platform (.github/workflows/release.yml)`);

let manifest: Record<string, unknown>;
try {
  manifest = krewManifest({
    version: pkg.version,
    homepage: pkg.homepage,
    downloadBase: arg('base-url') ?? `${pkg.homepage.replace(/\/$/, '')}/releases/download/v${pkg.version}`,
    archives,
  });
} catch (e) {
  fail((e as Error).message);
}
mkdirSync(join(ROOT, 'plugins'), { recursive: true });
const file = join(ROOT, 'plugins', `${PLUGIN}.yaml`);
writeFileSync(file, stringify(manifest, { lineWidth: 0 }));
for (const a of archives) process.stderr.write(`release: ${a.os}/${a.arch} sha256 ${a.sha256}\n`);
process.stderr.write(`release: wrote ${file}${missing.length ? ` (no archive here for ${missing.join(', ')}: those are built by .github/workflows/release.yml)` : ''}\n`);
