// The krew manifest written by `npm run release`: the fields krew validates and its index reviewers ask for.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PLATFORMS, archiveName, krewManifest, type ReleaseArchive } from '../../scripts/krew-manifest.ts';

const sha = (c: string): string => c.repeat(64);
const all: ReleaseArchive[] = PLATFORMS.map((p, i) => ({ ...p, sha256: sha('0123456789abcdef'[i]!) }));
const base = { version: '1.2.3', homepage: 'https://example.test/kubectl-ds-inspect', downloadBase: 'https://example.test/dl/v1.2.3/' };

interface Platform {
  selector: { matchLabels: { os: string; arch: string } };
  uri: string;
  sha256: string;
  bin: string;
  files: { from: string; to: string }[];
}
interface Spec {
  version: string;
  homepage: string;
  shortDescription: string;
  description: string;
  caveats: string;
  platforms: Platform[];
}

test('krew manifest: one entry per platform with its own archive, sha256, bin and extracted files', () => {
  const m = krewManifest({ ...base, archives: all });
  assert.equal(m.apiVersion, 'krew.googlecontainertools.github.com/v1alpha2');
  assert.equal(m.kind, 'Plugin');
  assert.deepEqual(m.metadata, { name: 'ds-inspect' });
  const spec = m.spec as Spec;
  assert.equal(spec.version, 'v1.2.3');
  assert.equal(spec.homepage, base.homepage);
  const seen = spec.platforms.map((p) => `${p.selector.matchLabels.os}/${p.selector.matchLabels.arch}`);
  assert.deepEqual(seen.sort(), ['darwin/amd64', 'darwin/arm64', 'linux/amd64', 'linux/arm64', 'windows/amd64', 'windows/arm64']);
  for (const p of spec.platforms) {
    const { os, arch } = p.selector.matchLabels;
    const a = all.find((x) => x.os === os && x.arch === arch)!;
    assert.equal(p.sha256, a.sha256);
    assert.equal(p.uri, `https://example.test/dl/v1.2.3/${archiveName(a.os, a.arch)}`);
    assert.equal(p.bin, os === 'windows' ? 'kubectl-ds_inspect.exe' : 'kubectl-ds_inspect');
    const from = p.files.map((f) => f.from);
    assert.ok(from.includes(p.bin), 'the bin is extracted');
    assert.ok(from.includes('LICENSE'), 'LICENSE is extracted');
    assert.ok(from.some((f) => f.startsWith('kubectl_complete-ds_inspect')), 'the completion helper is extracted');
  }
});

test('krew manifest: descriptions follow the index guidelines', () => {
  const spec = krewManifest({ ...base, archives: all }).spec as Spec;
  assert.ok(spec.shortDescription.length <= 60, 'short description is short');
  assert.doesNotMatch(spec.shortDescription, /kubectl|plugin|kubernetes/i);
  for (const line of `${spec.description}${spec.caveats}`.split('\n')) assert.ok(line.length <= 80, `line too long: ${line}`);
  assert.doesNotMatch(spec.description, /^\s*(Usage|kubectl ds-inspect )/m, 'no usage text in the description');
  assert.match(spec.caveats, /store\/ds-inspect\/v1\.2\.3\/kubectl_complete-ds_inspect/, 'caveats say where the completion helper is');
});

test('krew manifest: only the platforms with an archive; bad input is refused with a fix', () => {
  const one = krewManifest({ ...base, archives: [all[0]!] }).spec as Spec;
  assert.equal(one.platforms.length, 1);
  assert.throws(() => krewManifest({ ...base, archives: [] }), /npm run build:binary/);
  assert.throws(() => krewManifest({ ...base, archives: [{ ...all[0]!, sha256: 'ABC' }] }), /64 lowercase hex/);
  assert.throws(() => krewManifest({ ...base, archives: [all[0]!, all[0]!] }), /two archives for linux\/amd64/);
  assert.throws(() => krewManifest({ ...base, version: 'v1.2', archives: all }), /not semver/);
});
