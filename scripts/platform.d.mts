// Types of platform.mjs for the TypeScript scripts (release.ts).
export function hostPlatform(): { os: 'linux' | 'darwin' | 'windows'; arch: 'amd64' | 'arm64'; exe: '' | '.exe' };
