// coverage --watch against the REAL control plane: `kubectl ds-inspect coverage --watch -o json` runs as
// a child process while the test adds a node, taints a node, rolls the image and deletes a pod; each
// expected cell transition appears on stdout in order within a few seconds, and the last state of every
// cell equals a one-shot `coverage -o json`. Ctrl-C (SIGINT) ends the watch with exit 0.
// On a real terminal (tmux, a private server and a fixed 160x40 pane): the matrix is drawn once and
// redrawn in place when a node joins, with the last-change line and the transition under it; Ctrl-C
// leaves the cursor shown, no alternate screen, exit 0.

import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import type { CoverageReport } from '../../src/model/coverage.ts';
import { getJson, mustKubectl, plugin, settle, startCluster, waitFor, type Cluster } from './harness.ts';
import { daemonSetManifest } from './agreement.ts';

const NS = 'e2e-watch';
const ROOT = resolve(import.meta.dirname, '..', '..');
let cluster: Cluster;

interface Line {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  cell: { node: string; daemonSet: string; state: string; pods: { name: string; updated: boolean; ready: boolean }[] };
  previous?: string;
}

function nodeManifest(name: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, annotations: { 'kwok.x-k8s.io/node': 'fake' }, labels: { e2e: 'watch', 'kubernetes.io/hostname': name } },
    status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' }, allocatable: { cpu: '4', memory: '8Gi', pods: '110' } },
  };
}

const agent = (image: string): object => daemonSetManifest(NS, 'agent', { nodeSelector: { e2e: 'watch' }, containers: [{ name: 'c', image }] }, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 3 } } });

function apply(objs: object[]): void {
  mustKubectl(cluster, ['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objs }));
}

/** The watch as a child process, its stdout parsed line by line as it comes. */
function startWatch(): { child: ChildProcess; lines: Line[]; err: () => string; exited: Promise<number | null> } {
  const child = spawn('kubectl', ['ds-inspect', 'coverage', '-n', NS, '--nodes', 'e2e=watch', '--watch', '-o', 'json'], {
    env: { ...process.env, KUBECONFIG: cluster.kubeconfig, PATH: `${resolve(ROOT, 'bin')}:${process.env.PATH ?? ''}`, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Line[] = [];
  let pending = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    pending += s;
    const parts = pending.split('\n');
    pending = parts.pop()!;
    for (const p of parts) if (p.trim() !== '') lines.push(JSON.parse(p) as Line);
  });
  child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, lines, err: () => err, exited };
}

/** Wait (a few seconds) for a transition of `node`'s agent cell to `state` after line `from`; its index. */
async function transition(lines: Line[], from: number, node: string, state: string, ms = 20_000): Promise<number> {
  return waitFor<number>(
    `agent@${node} → ${state}`,
    () => {
      const i = lines.findIndex((l, j) => j >= from && l.cell.node === node && l.cell.daemonSet === 'agent' && l.cell.state === state);
      return i >= 0 ? i + 1 : undefined;
    },
    ms,
    200,
  ).catch((e: unknown) => {
    // Say what the watch did print: the transitions since `from`.
    throw new Error(`${(e as Error).message}; lines since ${from}: ${lines.slice(from).map((l) => `${l.type} ${l.cell.node} ${l.cell.state}`).join(', ')}`);
  });
}

before(async () => {
  cluster = startCluster();
  mustKubectl(cluster, ['create', 'namespace', NS]);
  apply([nodeManifest('wa-1'), nodeManifest('wa-2')]);
  await waitFor('watch nodes Ready', () => {
    const nodes = getJson<{ items: { status?: { conditions?: { type: string; status: string }[] } }[] }>(cluster, ['nodes', '-l', 'e2e=watch']).items;
    return nodes.length === 2 && nodes.every((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  });
  apply([agent('busybox:1')]);
  await settle(cluster, NS);
});

after(() => {
  cluster?.stop();
});

test('coverage --watch -o json: node added, node tainted, image rolled, pod deleted, each transition in order; the end equals a one-shot coverage', async () => {
  const w = startWatch();
  try {
    // The first look: every cell ADDED, Ready.
    await waitFor('the first look', () => w.lines.filter((l) => l.type === 'ADDED').length >= 2, 20_000, 200);
    assert.ok(w.lines.every((l) => l.cell.state === 'Ready'), JSON.stringify(w.lines));
    let at = w.lines.length;

    // A node joins: a new cell, then the controller's pod runs there.
    apply([nodeManifest('wa-3')]);
    at = await transition(w.lines, at, 'wa-3', 'Ready');
    assert.ok(w.lines.some((l) => l.type === 'ADDED' && l.cell.node === 'wa-3'), 'wa-3 came as ADDED');

    // NoExecute taint on wa-2: the controller deletes its pod; the cell is Excluded.
    mustKubectl(cluster, ['taint', 'node', 'wa-2', 'e2e-watch=on:NoExecute']);
    at = await transition(w.lines, at, 'wa-2', 'Excluded');

    // Roll the image: each cell gets a pod of the new revision (kwok replaces pods at once, so the state
    // may stay Ready: the change is the pod, and it is printed as MODIFIED).
    apply([agent('busybox:1.36')]);
    const oldPod = w.lines.filter((l) => l.cell.node === 'wa-1').at(-1)!.cell.pods[0]?.name;
    at = await waitFor('wa-1 on a new pod of the new revision', () => {
      const i = w.lines.findIndex((l, j) => j >= at && l.type === 'MODIFIED' && l.cell.node === 'wa-1' && l.cell.state === 'Ready' && l.cell.pods.some((p) => p.updated && p.name !== oldPod));
      return i >= 0 ? i + 1 : undefined;
    }, 30_000, 200);

    // Delete the pod on wa-3: Missing or Pending, then Ready again once the controller recreates it.
    const podName = getJson<{ items: { metadata: { name: string }; spec: { nodeName?: string } }[] }>(cluster, ['pods', '-n', NS]).items.find((p) => p.spec.nodeName === 'wa-3')!.metadata.name;
    mustKubectl(cluster, ['delete', 'pod', '-n', NS, podName, '--wait=false']);
    await waitFor('wa-3 on the pod the controller recreated', () => w.lines.some((l, j) => j >= at && l.type === 'MODIFIED' && l.cell.node === 'wa-3' && l.cell.state === 'Ready' && l.cell.pods.length > 0 && l.cell.pods.every((p) => p.name !== podName)), 30_000, 200);

    // The last state of each cell equals a fresh one-shot look.
    await settle(cluster, NS);
    await new Promise((r) => setTimeout(r, 2000));
    const last = new Map<string, string | undefined>();
    for (const l of w.lines) last.set(`${l.cell.daemonSet}/${l.cell.node}`, l.type === 'DELETED' ? undefined : l.cell.state);
    const r = plugin(cluster, ['coverage', '-n', NS, '--nodes', 'e2e=watch', '-o', 'json']);
    assert.equal(r.code, 0, r.err);
    const oneShot = new Map((JSON.parse(r.out) as CoverageReport).cells.map((c) => [`${c.daemonSet}/${c.node}`, c.state as string | undefined]));
    for (const k of last.keys()) if (last.get(k) === undefined) last.delete(k);
    assert.deepEqual(Object.fromEntries([...last].sort()), Object.fromEntries([...oneShot].sort()));
  } finally {
    w.child.kill('SIGINT');
  }
  assert.equal(await w.exited, 0, w.err());
  assert.equal(w.err(), '');
  mustKubectl(cluster, ['taint', 'node', 'wa-2', 'e2e-watch=on:NoExecute-']);
});

// ---- coverage --watch on a real terminal, driven through tmux

const COLS = 160;
const ROWS = 40;

/** tmux on a private server (-L): the user's sessions and config are never touched. */
function tmuxServer(): { run: (args: string[]) => string; pane: (history?: boolean) => string; info: () => Record<string, string>; kill: () => void } {
  const found = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
  if (found.status !== 0) throw new Error('tmux is not installed: this test drives coverage --watch on a real terminal through tmux (.ci/run installs it)');
  const dir = mkdtempSync(join(tmpdir(), 'ds-inspect-e2e-tmux-'));
  const conf = join(dir, 'tmux.conf');
  // No status line: the pane is the whole 160x40 window. remain-on-exit: a pane whose command died early
  // stays, for the failure message.
  writeFileSync(conf, 'set -g remain-on-exit on\nset -g status off\nset -g history-limit 5000\n');
  const socket = `ds-inspect-e2e-${process.pid}`;
  const run = (args: string[]): string => {
    const r = spawnSync('tmux', ['-u', '-L', socket, '-f', conf, ...args], { encoding: 'utf8', timeout: 10_000 });
    if (r.status !== 0) throw new Error(`tmux ${args.join(' ')} failed (exit ${r.status}): ${r.stderr}`);
    return r.stdout;
  };
  const FIELDS = ['pane_dead', 'cursor_flag', 'alternate_on', 'history_size', 'pane_width', 'pane_height'];
  return {
    run,
    // -p: the pane's text (no escapes); -S -: from the start of the scrollback.
    pane: (history = false) => run(['capture-pane', '-p', '-t', 'w', ...(history ? ['-S', '-'] : [])]),
    info: () => {
      const v = run(['display-message', '-p', '-t', 'w', FIELDS.map((f) => `#{${f}}`).join(' ')]).trim().split(' ');
      return Object.fromEntries(FIELDS.map((f, i) => [f, v[i] ?? '']));
    },
    kill: () => {
      spawnSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

test('coverage --watch on a terminal (tmux 160x40): drawn once, redrawn in place when a node joins, with the last change and its log line; Ctrl-C leaves the terminal clean, exit 0', async () => {
  await settle(cluster, NS);
  const t = tmuxServer();
  const headers = (text: string): number => text.split('\n').filter((l) => /^NODE\s/.test(l)).length;
  const show = (text: string): string => `\n---- pane ----\n${text}\n--------------`;
  try {
    // CI unset: the tool draws plainly when CI is set (terminal.ts interactive()); TERM as a terminal has it.
    const env = { NO_COLOR: '1', TERM: 'screen', LANG: 'C.UTF-8', KUBECONFIG: cluster.kubeconfig, PATH: `${resolve(ROOT, 'bin')}:${process.env.PATH ?? ''}`, HOME: process.env.HOME ?? '/tmp' };
    const watch = `env -i ${Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`).join(' ')} kubectl ds-inspect coverage -n ${NS} --nodes e2e=watch --watch`;
    // The shell outlives the watch (its INT trap only lets it go on), says how the watch exited, and keeps
    // the terminal open so its state after the watch (cursor, alternate screen) can be read.
    const script = `trap : INT; ${watch}; echo "watch exited with $?"; exec sleep 600`;
    // The matrix starts at the top-left corner: a redraw that clears the screen from there is what tmux
    // copies into the scrollback (scroll-on-clear), so this is the case that shows it.
    t.run(['new-session', '-d', '-s', 'w', '-x', String(COLS), '-y', String(ROWS), '/bin/sh', '-c', script]);
    const size = t.info();
    assert.deepEqual([size.pane_width, size.pane_height], [String(COLS), String(ROWS)]);

    // The first frame: the matrix of wa-1..wa-3 once, the footer waiting for a change, the cursor hidden.
    const before = await waitFor('the first frame', () => { const p = t.pane(); return /watching; no change yet|last change/.test(p) && /^READY\/DESIRED/m.test(p) ? p : undefined; }, 30_000, 200).catch((e: unknown) => {
      throw new Error(`${(e as Error).message}${show(t.pane())}`);
    });
    assert.equal(headers(before), 1, show(before));
    for (const n of ['wa-1', 'wa-2', 'wa-3']) assert.match(before, new RegExp(`^${n}\\s`, 'm'), show(before));
    assert.doesNotMatch(before, /wa-tmux/);
    assert.equal(t.info().cursor_flag, '0', 'the cursor is hidden while the matrix is redrawn');

    // A node joins: its row appears in the same matrix; the footer says when, and logs the transition.
    apply([nodeManifest('wa-tmux')]);
    const after = await waitFor('the redraw with wa-tmux Ready', () => {
      const p = t.pane();
      return /^wa-tmux\s+✔/m.test(p) && /^last change \d\d:\d\d:\d\dZ \(Ctrl-C to stop\)$/m.test(p) && /^ {2}wa-tmux agent .*→ ✔ Ready/m.test(p) ? p : undefined;
    }, 60_000, 200).catch((e: unknown) => {
      throw new Error(`${(e as Error).message}${show(t.pane())}`);
    });
    process.stdout.write(`# coverage --watch in tmux, after wa-tmux joined:${show(after).replace(/^/gm, '#   ')}\n`);
    // In place: one header on the screen and in the whole scrollback; nothing scrolled off.
    assert.equal(headers(after), 1, show(after));
    const all = t.pane(true);
    assert.equal(headers(all), 1, `the matrix was drawn below itself instead of over itself:${show(all)}`);
    assert.ok(Number(t.info().history_size) <= 2, `scrollback of ${t.info().history_size} lines:${show(all)}`);
    assert.equal(after.split('\n').filter((l) => l.startsWith('READY/DESIRED')).length, 1);
    assert.match(after, /^READY\/DESIRED\s+4\/4/m, show(after));

    // Ctrl-C: exit 0 with the shell's line on a line of its own, the cursor shown again, no alternate
    // screen left behind, the last frame kept above.
    t.run(['send-keys', '-t', 'w', 'C-c']);
    const last = await waitFor('the watch to exit', () => { const p = t.pane(true); return /^watch exited with \d+$/m.test(p) ? p : undefined; }, 15_000, 100).catch((e: unknown) => {
      throw new Error(`${(e as Error).message}${show(t.pane(true))}`);
    });
    assert.match(last, /^watch exited with 0$/m, show(last));
    const end = t.info();
    assert.equal(end.pane_dead, '0', 'the shell is still there');
    assert.equal(end.cursor_flag, '1', 'the cursor is shown again');
    assert.equal(end.alternate_on, '0', 'no alternate screen left on');
    assert.equal(headers(last), 1, show(last));
    assert.match(last, /^wa-tmux\s+✔/m);
    assert.ok(Number(end.history_size) <= 2, `scrollback of ${end.history_size} lines:${show(last)}`);
  } finally {
    t.kill();
    mustKubectl(cluster, ['delete', 'node', 'wa-tmux', '--ignore-not-found', '--wait=false']);
  }
});
