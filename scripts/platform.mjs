// Platform names as krew (Go's GOOS/GOARCH) spells them, shared by the binary, release and install scripts.
const OS = { linux: 'linux', darwin: 'darwin', win32: 'windows' };
const ARCH = { x64: 'amd64', arm64: 'arm64' };

/** The krew platform of this machine, e.g. { os: 'linux', arch: 'amd64', exe: '' }. */
export function hostPlatform() {
  const os = OS[process.platform];
  const arch = ARCH[process.arch];
  if (!os || !arch) {
    throw new Error(`unsupported platform ${process.platform}/${process.arch}: build on linux, darwin or windows with amd64 or arm64`);
  }
  return { os, arch, exe: os === 'windows' ? '.exe' : '' };
}
