// Shell completion: static candidates through `kubectl __complete ds-inspect ...` (kubectl runs
// kubectl_complete-ds_inspect from PATH, which asks the plugin's `__complete`), names from a snapshot,
// the queries a fake NameReader receives, and live names from a loopback fake HTTP server.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { buildProgram, main } from '../../src/cli.ts';
import type { CliIO } from '../../src/runtime.ts';
import { COMPLETION_SCRIPTS, complete } from '../../src/commands/completion.ts';
import { completionNames, type NameQuery, type NameSource } from '../../src/io/names.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const DEMO = 'examples/demo-cluster.yaml';

function io(env: NodeJS.ProcessEnv = {}): CliIO & { out: () => string } {
  let out = '';
  return {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: () => true },
    env,
    readStdin: () => Promise.resolve(''),
    now: () => 0,
    out: () => out,
  };
}

/** Candidates (descriptions cut off) and the directive of `__complete WORDS`. */
async function completeWords(words: string[], env: NodeJS.ProcessEnv = {}): Promise<{ candidates: string[]; directive: number }> {
  const x = io(env);
  assert.equal(await main(['__complete', ...words], x), 0);
  const lines = x.out().trimEnd().split('\n');
  const last = lines.pop()!;
  assert.match(last, /^:\d+$/, 'the last line is :<directive>');
  return { candidates: lines.map((l) => l.split('\t')[0]!), directive: Number(last.slice(1)) };
}

// ---- through kubectl's own plugin completion

let pluginDir: string | undefined;
/** A PATH directory with the plugin (run from source) and the completion helper the archive ships. */
function pluginPath(): string {
  if (pluginDir) return pluginDir;
  pluginDir = mkdtempSync(join(tmpdir(), 'ds-inspect-complete-'));
  const plugin = join(pluginDir, 'kubectl-ds_inspect');
  writeFileSync(plugin, `#!/bin/sh\nexec "${process.execPath}" --import tsx "${join(ROOT, 'src/main.ts')}" "$@"\n`);
  chmodSync(plugin, 0o755);
  copyFileSync(join(ROOT, 'scripts/kubectl_complete-ds_inspect.sh'), join(pluginDir, 'kubectl_complete-ds_inspect'));
  chmodSync(join(pluginDir, 'kubectl_complete-ds_inspect'), 0o755);
  return pluginDir;
}

function kubectlComplete(...words: string[]): string[] {
  const r = spawnSync('kubectl', ['__complete', 'ds-inspect', ...words], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${pluginPath()}:${process.env.PATH}` },
  });
  assert.equal(r.status, 0, `kubectl __complete failed (is kubectl 1.26+ on PATH?): ${r.stderr}`);
  return r.stdout.trimEnd().split('\n');
}

test('kubectl __complete ds-inspect: subcommands, with descriptions, then the no-file directive', () => {
  const lines = kubectlComplete('');
  assert.equal(lines.at(-1), ':4');
  const names = lines.slice(0, -1).map((l) => l.split('\t')[0]);
  for (const c of ['coverage', 'why-not', 'rollout', 'completion']) assert.ok(names.includes(c), `${c} in ${names.join(' ')}`);
  assert.ok(lines.some((l) => l.startsWith('coverage\t')), 'descriptions come through');
  assert.deepEqual(kubectlComplete('rollout', 'un').slice(0, 1).map((l) => l.split('\t')[0]), ['undo']);
});

test('kubectl __complete ds-inspect: flags of the subcommand and -o values', () => {
  const flags = kubectlComplete('coverage', '--no').map((l) => l.split('\t')[0]);
  assert.deepEqual(flags, ['--nodes', '--no-headers', '--now', '--no-color', ':4']);
  assert.deepEqual(kubectlComplete('coverage', '-o', ''), ['wide', 'json', 'yaml', 'name', 'jsonpath=', 'jsonpath-file=', ':4']);
  assert.deepEqual(kubectlComplete('why-not', 'n1', '-o', 'y'), ['yaml', ':4']);
  assert.deepEqual(kubectlComplete('rollout', 'status', '--output=j'), ['--output=json', '--output=jsonpath=', '--output=jsonpath-file=', ':4']);
});

// ---- in-process: the tree walk, names from a snapshot

test('completion walks the command tree: a command added later completes with its flags', async () => {
  const x = io();
  const program = buildProgram(x);
  program.command('extra-thing').summary('added by a test').option('--shiny <level>', 'how shiny').action(() => undefined);
  await complete(program, ['ex'], x, () => Promise.resolve([]));
  await complete(program, ['extra-thing', '--sh'], x, () => Promise.resolve([]));
  assert.equal(x.out(), 'extra-thing\tadded by a test\n:4\n--shiny\thow shiny\n:4\n');
});

test('completion offers the --policy values of rollout status', async () => {
  const x = io();
  await complete(buildProgram(x), ['rollout', 'status', 'kube-proxy', '--policy', ''], x, () => Promise.resolve([]));
  assert.equal(x.out(), 'kubectl\nhelm\nkstatus\nargocd\nall\n:4\n');
});

test('names from --snapshot: nodes for why-not, DaemonSets of -n, namespaces, revisions newest first', async () => {
  assert.deepEqual((await completeWords(['why-not', '--snapshot', DEMO, 'wo'])).candidates, ['worker-1', 'worker-2', 'worker-3', 'worker-4']);
  assert.deepEqual((await completeWords(['coverage', '--snapshot', DEMO, '-n', 'kube-system', ''])).candidates, ['calico-node', 'kube-proxy']);
  // A DaemonSet already on the line is not offered again.
  assert.deepEqual((await completeWords(['coverage', '--snapshot', DEMO, '-n', 'kube-system', 'kube-proxy', ''])).candidates, ['calico-node']);
  assert.deepEqual((await completeWords(['why-not', 'gpu-1', '--snapshot', DEMO, '-A', ''])).candidates, ['calico-node', 'dcgm-exporter', 'kube-proxy', 'node-exporter']);
  assert.deepEqual((await completeWords(['coverage', '--snapshot', DEMO, '--namespace', 'm'])).candidates, ['monitoring']);
  const rev = await completeWords(['rollout', 'history', '--snapshot', DEMO, '-n', 'kube-system', 'kube-proxy', '--revision', '']);
  assert.deepEqual(rev, { candidates: ['2', '1'], directive: 4 | 32 });
});

test('file flags leave paths to the shell; --snapshot filters to yaml/yml/json', async () => {
  assert.deepEqual(await completeWords(['coverage', '--snapshot', '']), { candidates: ['yaml', 'yml', 'json'], directive: 8 });
  assert.deepEqual(await completeWords(['coverage', '--kubeconfig', '']), { candidates: [], directive: 0 });
  assert.deepEqual(await completeWords(['coverage', '-l', '']), { candidates: [], directive: 4 });
});

test('the reader is asked for the namespace in scope and the DaemonSet on the line', async () => {
  const asked: [NameSource, NameQuery][] = [];
  const read = (s: NameSource, q: NameQuery): Promise<string[]> => {
    asked.push([s, q]);
    return Promise.resolve(q.kind === 'revisions' ? ['7', '5'] : ['a', 'b']);
  };
  const x = io();
  await complete(buildProgram(x), ['rollout', 'history', '--context', 'prod', '-n', 'logging', 'daemonset/fluent-bit', '--revision', ''], x, read);
  await complete(buildProgram(x), ['coverage', '-A', '--kubeconfig', '/k', ''], x, read);
  assert.deepEqual(asked, [
    [{ snapshot: [], kubeconfig: undefined, context: 'prod', cluster: undefined, user: undefined }, { kind: 'revisions', namespace: 'logging', allNamespaces: false, daemonSet: 'fluent-bit' }],
    [{ snapshot: [], kubeconfig: '/k', context: undefined, cluster: undefined, user: undefined }, { kind: 'daemonsets', namespace: undefined, allNamespaces: true, daemonSet: undefined }],
  ]);
  assert.equal(x.out(), '7\n5\n:36\na\nb\n:4\n');
});

test('completion bash|zsh|fish prints a script that calls __complete; bash parses it', async () => {
  for (const shell of ['bash', 'zsh', 'fish']) {
    const x = io();
    assert.equal(await main(['completion', shell], x), 0);
    assert.equal(x.out(), COMPLETION_SCRIPTS[shell]);
    assert.match(x.out(), /__complete/);
  }
  execFileSync('bash', ['-n', '-c', COMPLETION_SCRIPTS.bash!]);
  assert.equal((await main(['completion', 'tcsh'], io())), 2);
});

// ---- live names: a loopback fake API server

/**
 * Fault-injection fake server: a loopback HTTP stand-in for the API server that answers the few list and
 * get calls completion makes, and holds /slow/... requests open forever to test the deadline.
 */
async function fakeApiServer(): Promise<{ url: string; close: () => Promise<void>; paths: string[] }> {
  const paths: string[] = [];
  const ds = { metadata: { name: 'fluent-bit', namespace: 'logging', uid: 'u1' }, spec: { selector: { matchLabels: { app: 'fb' } }, template: {} } };
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    paths.push(path);
    if (path.startsWith('/slow/')) return; // never answers
    const body: Record<string, unknown> = {
      '/api/v1/nodes': { items: [{ metadata: { name: 'node-b' } }, { metadata: { name: 'node-a' } }] },
      '/api/v1/namespaces': { items: [{ metadata: { name: 'logging' } }, { metadata: { name: 'default' } }] },
      '/apis/apps/v1/namespaces/logging/daemonsets': { items: [{ metadata: { name: 'fluent-bit' } }, { metadata: { name: 'vector' } }] },
      '/apis/apps/v1/namespaces/logging/daemonsets/fluent-bit': ds,
      '/apis/apps/v1/namespaces/logging/controllerrevisions': {
        items: [3, 1, 2].map((n) => ({ metadata: { name: `fb-${n}`, namespace: 'logging', labels: { app: 'fb' }, ownerReferences: [{ kind: 'DaemonSet', name: 'fluent-bit', uid: 'u1', controller: true }] }, revision: n })),
      },
    };
    const b = body[path];
    res.writeHead(b ? 200 : 404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(b ?? { kind: 'Status', code: 404, message: 'not found' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    paths,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

function kubeconfig(server: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'ds-inspect-kc-')), 'config');
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'fake',
      clusters: [{ name: 'fake', cluster: { server } }],
      users: [{ name: 'fake', user: { token: 't' } }],
      contexts: [
        { name: 'fake', context: { cluster: 'fake', user: 'fake', namespace: 'logging' } },
        { name: 'other', context: { cluster: 'fake', user: 'fake' } },
      ],
    }),
  );
  return file;
}

test('live names from a fake API server: the context namespace, nodes, namespaces, revisions, contexts', async () => {
  const srv = await fakeApiServer();
  try {
    const env = { KUBECONFIG: kubeconfig(srv.url) };
    assert.deepEqual((await completeWords(['coverage', ''], env)).candidates, ['fluent-bit', 'vector']);
    assert.deepEqual((await completeWords(['why-not', ''], env)).candidates, ['node-a', 'node-b']);
    assert.deepEqual((await completeWords(['coverage', '-n', ''], env)).candidates, ['default', 'logging']);
    assert.deepEqual((await completeWords(['rollout', 'undo', 'fluent-bit', '--to-revision', ''], env)).candidates, ['3', '2', '1']);
    assert.deepEqual((await completeWords(['coverage', '--context', ''], env)).candidates, ['fake', 'other']);
    assert.ok(srv.paths.includes('/apis/apps/v1/namespaces/logging/daemonsets'), srv.paths.join(' '));
  } finally {
    await srv.close();
  }
});

test('a server that never answers gives no candidates within the deadline', async () => {
  const srv = await fakeApiServer();
  try {
    const read = completionNames(io({ KUBECONFIG: kubeconfig(`${srv.url}/slow`) }), 300);
    const t0 = Date.now();
    const got = await read({ snapshot: [] }, { kind: 'nodes', allNamespaces: false });
    const ms = Date.now() - t0;
    assert.deepEqual(got, []);
    assert.ok(ms >= 250 && ms < 2000, `answered after ${ms} ms`);
    assert.ok(srv.paths.some((p) => p.startsWith('/slow/')), 'the request did reach the server');
  } finally {
    await srv.close();
  }
});
