// The CLI run in-process with captured output: the one harness of the command-level unit tests.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli.ts';
import type { CliIO } from '../../src/runtime.ts';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** A fake CliIO whose output is captured; the clock is fixed so ages and availability are repeatable. */
export function captureIO(opts: { stdin?: string; nowIso?: string } = {}): { io: CliIO; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: { write: (s: string) => (out += s), isTTY: false },
    stderr: { write: (s: string) => (err += s), isTTY: false },
    env: {},
    readStdin: () => Promise.resolve(opts.stdin ?? ''),
    now: () => Date.parse(opts.nowIso ?? '2026-11-22T12:00:00Z'),
  };
  return { io, out: () => out, err: () => err };
}

export async function runCli(argv: string[], stdin = ''): Promise<CliRun> {
  const c = captureIO({ stdin });
  const code = await main(argv, c.io);
  return { code, out: c.out(), err: c.err() };
}

/** A kubeconfig, in a new temporary directory, whose one context points at a fake or fault-injection server. */
export function fakeServerKubeconfig(server: string, opts: { namespace: string; token?: string }): string {
  const f = join(mkdtempSync(join(tmpdir(), 'ds-inspect-fake-kc-')), 'config');
  const user = opts.token === undefined ? '{}' : `{token: ${opts.token}}`;
  writeFileSync(
    f,
    `apiVersion: v1\nkind: Config\ncurrent-context: fake\ncontexts: [{name: fake, context: {cluster: fake, user: tester, namespace: ${opts.namespace}}}]\n` +
      `clusters: [{name: fake, cluster: {server: "${server}"}}]\nusers: [{name: tester, user: ${user}}]\n`,
  );
  return f;
}
