// The krew Plugin manifest (plugins/ds-inspect.yaml) for a set of release archives: pure, so the rules
// krew and its index reviewers apply are tested (test/unit/krew-manifest.test.ts) without building.

export const PLUGIN = 'ds-inspect';
const KREW_API_VERSION = 'krew.googlecontainertools.github.com/v1alpha2';

type KrewOs = 'linux' | 'darwin' | 'windows';
type KrewArch = 'amd64' | 'arm64';

/** Every platform a release carries: .github/workflows/release.yml builds each on its own runner. */
export const PLATFORMS: readonly { os: KrewOs; arch: KrewArch }[] = [
  { os: 'linux', arch: 'amd64' },
  { os: 'linux', arch: 'arm64' },
  { os: 'darwin', arch: 'amd64' },
  { os: 'darwin', arch: 'arm64' },
  { os: 'windows', arch: 'amd64' },
  { os: 'windows', arch: 'arm64' },
];

export interface ReleaseArchive {
  os: KrewOs;
  arch: KrewArch;
  sha256: string;
}

export function archiveName(os: KrewOs, arch: KrewArch): string {
  return `kubectl-ds_inspect-${os}-${arch}.tar.gz`;
}

/** The files of an archive, all at its root: the executable, the completion helper kubectl runs, LICENSE. */
export function archiveFiles(os: KrewOs): { bin: string; completion: string; license: string } {
  return os === 'windows'
    ? { bin: 'kubectl-ds_inspect.exe', completion: 'kubectl_complete-ds_inspect.cmd', license: 'LICENSE' }
    : { bin: 'kubectl-ds_inspect', completion: 'kubectl_complete-ds_inspect', license: 'LICENSE' };
}

const SHORT_DESCRIPTION = 'Show DaemonSet node coverage, exclusions and rollouts';

const DESCRIPTION = `For each DaemonSet, shows which nodes run its pod, which lack it and which
are left out on purpose: one state per node, computed as the DaemonSet
controller does, with sums that match the DaemonSet's status counters.
"why-not NODE" explains in the controller's terms why a node is excluded
(nodeSelector, node affinity, taints against the tolerations including the
controller's defaults) or why its pod is not healthy. "rollout" shows status
with the nodes that hold a rollout up, history with images and the live
revision, and does undo, restart, and the pause and resume that kubectl
refuses for DaemonSets. Reads a live cluster or a kubectl YAML dump.
`;

function caveats(version: string): string {
  return `Needs permission to list nodes (cluster-wide), DaemonSets, pods,
controllerrevisions and events; rollout undo, pause, resume and restart
patch DaemonSets.

Shell completion of "kubectl ds-inspect" (kubectl 1.26 or later): krew does
not put the completion helper on PATH. Link it once:
  dir="\${KREW_ROOT:-$HOME/.krew}"
  ln -s "$dir/store/${PLUGIN}/v${version}/kubectl_complete-ds_inspect" "$dir/bin/"
On Windows, copy kubectl_complete-ds_inspect.cmd from that folder to
%USERPROFILE%\\.krew\\bin instead.
`;
}

interface ManifestInput {
  /** package.json version, without the leading v. */
  version: string;
  homepage: string;
  /** Where the archives are downloaded from, e.g. https://github.com/ORG/REPO/releases/download/v0.1.0 */
  downloadBase: string;
  archives: readonly ReleaseArchive[];
}

const SHA256 = /^[0-9a-f]{64}$/;
const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/** The manifest as a plain object, platforms in PLATFORMS order; throws on input krew would reject. */
export function krewManifest(input: ManifestInput): Record<string, unknown> {
  if (!SEMVER.test(input.version)) throw new Error(`version "${input.version}" is not semver (x.y.z): fix package.json "version"`);
  if (input.archives.length === 0) throw new Error('no release archives: run `npm run build:binary` and `npm run release` first');
  const platforms = [];
  for (const p of PLATFORMS) {
    const found = input.archives.filter((a) => a.os === p.os && a.arch === p.arch);
    if (found.length > 1) throw new Error(`two archives for ${p.os}/${p.arch}: keep one`);
    const a = found[0];
    if (!a) continue;
    if (!SHA256.test(a.sha256)) throw new Error(`sha256 of the ${p.os}/${p.arch} archive is not 64 lowercase hex digits: "${a.sha256}"`);
    const f = archiveFiles(p.os);
    platforms.push({
      selector: { matchLabels: { os: p.os, arch: p.arch } },
      uri: `${input.downloadBase.replace(/\/$/, '')}/${archiveName(p.os, p.arch)}`,
      sha256: a.sha256,
      files: [f.bin, f.completion, f.license].map((from) => ({ from, to: '.' })),
      bin: f.bin,
    });
  }
  return {
    apiVersion: KREW_API_VERSION,
    kind: 'Plugin',
    metadata: { name: PLUGIN },
    spec: {
      version: `v${input.version}`,
      homepage: input.homepage,
      shortDescription: SHORT_DESCRIPTION,
      description: DESCRIPTION,
      caveats: caveats(input.version),
      platforms,
    },
  };
}
