// Terminal injection (CVE-2021-25743 for kubectl): strings from the cluster or a file never reach the
// terminal with control characters, and a multi-line message stays on one table row. Machine output
// (JSON/YAML) keeps the data as it is.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CoverageReport } from '../../src/model/coverage.ts';
import type { WhatIfReport } from '../../src/model/whatIf.ts';
import { makeChalk } from '../../src/render/color.ts';
import { renderWhatIf } from '../../src/render/whatif.ts';
import { safeText } from '../../src/util/sanitize.ts';
import { runCli } from '../support/cli.ts';

test('safeText keeps printable text only, turning line breaks and tabs into one space', () => {
  const cases: [input: string, want: string][] = [
    ['plain text, ünïcödé ✔', 'plain text, ünïcödé ✔'],
    ['title\x1b]0;pwned\x07set', 'title]0;pwnedset'],
    ['clear\x1b[2J\x1b[Hscreen', 'clear[2J[Hscreen'],
    ['8-bit CSI \u009b2J and DEL \x7f', '8-bit CSI 2J and DEL '],
    ['admission webhook "x" denied:\n  line 2\r\n  line 3', 'admission webhook "x" denied: line 2 line 3'],
    ['tab\there', 'tab here'],
    ['nul\u0000byte', 'nulbyte'],
    ['separators\u2028and\u2029these', 'separators and these'],
  ];
  for (const [input, want] of cases) assert.equal(safeText(input), want, JSON.stringify(input));
});

const ESC = '\x1b]0;owned\x07\x1b[2J';
const WEBHOOK = `admission webhook "policy.example.com" denied the request:${ESC}\n- hostPath volumes are forbidden\n- privileged containers are forbidden`;

const snapshot = {
  kind: 'List',
  items: [
    {
      kind: 'Node',
      metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1', team: `a${ESC}b` } },
      spec: { taints: [{ key: 'dedicated', value: `x${ESC}`, effect: 'NoSchedule' }] },
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    },
    { kind: 'Node', metadata: { name: 'n2', labels: { 'kubernetes.io/hostname': 'n2' } }, status: { conditions: [{ type: 'Ready', status: 'True' }] } },
    { kind: 'Node', metadata: { name: 'n3', labels: { 'kubernetes.io/hostname': 'n3' } }, status: { conditions: [{ type: 'Ready', status: 'True' }] } },
    {
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: 'ns', uid: 'ds-1', generation: 1, annotations: { 'deprecated.daemonset.template.generation': '1' } },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: { metadata: { labels: { app: 'agent' } }, spec: { tolerations: [{ key: `k${ESC}`, operator: 'Exists' }], containers: [{ name: 'a', image: `img${ESC}:v1` }] } },
      },
      status: { desiredNumberScheduled: 2, observedGeneration: 1 },
    },
    {
      kind: 'ControllerRevision',
      metadata: { name: 'agent-5d4b', namespace: 'ns', labels: { app: 'agent', 'controller-revision-hash': '5d4b' }, annotations: { 'kubernetes.io/change-cause': `deploy${ESC}\nby ci` }, ownerReferences: [{ kind: 'DaemonSet', name: 'agent', uid: 'ds-1', controller: true }] },
      revision: 1,
      data: { spec: { template: { metadata: { labels: { app: 'agent' } }, spec: { tolerations: [{ key: `k${ESC}`, operator: 'Exists' }], containers: [{ name: 'a', image: `img${ESC}:v1` }] } } } },
    },
    {
      kind: 'Pod',
      metadata: { name: 'agent-n3', namespace: 'ns', labels: { app: 'agent', 'controller-revision-hash': '5d4b' }, ownerReferences: [{ kind: 'DaemonSet', name: 'agent', uid: 'ds-1', controller: true }] },
      spec: { nodeName: 'n3', containers: [{ name: 'a' }] },
      status: { phase: 'Running', containerStatuses: [{ name: 'a', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off${ESC}\nrestarting` } } }] },
    },
    {
      kind: 'Event',
      metadata: { name: 'e1', namespace: 'ns' },
      involvedObject: { kind: 'DaemonSet', namespace: 'ns', name: 'agent' },
      reason: 'FailedCreate',
      type: 'Warning',
      message: WEBHOOK,
      lastTimestamp: '2026-11-22T11:00:00Z',
    },
  ],
};

const dir = mkdtempSync(join(tmpdir(), 'ds-inspect-sanitize-'));
const file = join(dir, 'hostile.json');
writeFileSync(file, JSON.stringify(snapshot));

const run = runCli;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

test('human output strips escape sequences from every cluster-provided string', async () => {
  const cases: [argv: string[], mustShow: RegExp][] = [
    [['coverage', '-A', '-o', 'wide', '--layout', 'matrix'], /^n2 .*agent: Missing \(the controller failed to create a pod: admission webhook "policy\.example\.com" denied the request:\]0;owned\[2J - hostPath volumes are forbidden - privileged containers are forbidden\)$/m],
    [['coverage', '-A'], /^n1 /m],
    [['coverage', '-A', '-o', 'wide', '--layout', 'list'], /^ {2}! Missing \(1\): n2$/m],
    [['coverage', '-A', '--group-by', 'team'], /^a\]0;owned\[2Jb /m],
    [['why-not', 'n1', '-A'], /^ {2}labels: kubernetes\.io\/hostname=n1\n {10}team=a\]0;owned\[2Jb$/m],
    [['why-not', 'n2', '-A'], /^ {4}FailedCreate: the controller failed to create a pod: admission webhook .* denied the request:\]0;owned\[2J - hostPath volumes are forbidden - privileged containers are forbidden$/m],
    [['why-not', 'n3', '-A'], /container a is waiting: CrashLoopBackOff \(back-off\]0;owned\[2J restarting\)/],
    [['rollout', 'history', 'agent', '-n', 'ns'], /^1 +\* +5d4b .*deploy\]0;owned\[2J by ci +img\]0;owned\[2J:v1/m],
    [['rollout', 'history', 'agent', '-n', 'ns', '--revision', '1'], /image: "img\\e\]0;owned\\a\\e\[2J:v1"/],
    [['rollout', 'status', 'agent', '-n', 'ns', '--watch=false'], /n2 Missing: the controller failed to create a pod: admission webhook/],
  ];
  for (const [argv, mustShow] of cases) {
    const r = await run([...argv, '--snapshot', file]);
    assert.ok(r.code === 0 || r.code === 1, `${argv.join(' ')}: exit ${r.code}: ${r.err}`);
    assert.ok(!CONTROL.test(r.out), `${argv.join(' ')}: control character in ${JSON.stringify(r.out)}`);
    assert.ok(!CONTROL.test(r.err), `${argv.join(' ')}: control character in stderr ${JSON.stringify(r.err)}`);
    assert.match(r.out, mustShow, argv.join(' '));
  }
});

test('machine output keeps the data as it is (JSON escapes it)', async () => {
  const r = await run(['coverage', '-A', '-o', 'json', '--snapshot', file]);
  assert.equal(r.code, 0, r.err);
  assert.ok(!CONTROL.test(r.out.replaceAll('\n', '')), 'JSON text has no raw controls');
  const report = JSON.parse(r.out) as CoverageReport;
  const cell = report.cells.find((c) => c.node === 'n2')!;
  assert.ok(cell.reasons.some((x) => x.message.includes(WEBHOOK)), 'the event message is kept verbatim');
});

test('an error message quoting file content stays on one line without escapes', async () => {
  const r = await run(['why-not', `n9${ESC}\nx`, '-A', '--snapshot', file]);
  assert.equal(r.code, 2);
  assert.ok(!CONTROL.test(r.err), JSON.stringify(r.err));
  assert.equal(r.err.split('\n').length, 2, r.err);
});

test('what-if output strips escape sequences from names and reasons', () => {
  const v = { shouldRun: true, shouldContinueRunning: true, pods: 1 };
  const report: WhatIfReport = {
    kind: 'WhatIf',
    change: `taint evil${ESC} k=v:NoExecute`,
    changes: [
      { node: `evil${ESC}`, namespace: 'ns', daemonSet: `agent${ESC}`, action: 'delete', before: v, after: { ...v, shouldRun: false, shouldContinueRunning: false }, reasons: [`taint k=v${ESC}:NoExecute\nis not tolerated`] },
      { node: 'n2', namespace: 'ns', daemonSet: 'agent', action: 'create', before: null, after: v, reasons: [], unschedulable: [`Insufficient cpu${ESC}`] },
    ],
    rollouts: [{ namespace: 'ns', daemonSet: `agent${ESC}`, strategy: 'RollingUpdate', pods: 2, maxUnavailable: 1, maxSurge: 1, waves: 2, noRoomForSurge: [{ node: `evil${ESC}`, reasons: [WEBHOOK] }] }],
    summary: { create: 1, delete: 1, misschedule: 0, unmisschedule: 0, replace: 0, outdated: 0 },
    fitChecked: true,
    admission: [{ namespace: 'ns', daemonSet: 'agent', changes: [`refused: ${WEBHOOK}`] }],
  };
  const out = renderWhatIf(report, makeChalk(false));
  assert.ok(!CONTROL.test(out), JSON.stringify(out));
  assert.match(out, /^ {4}taint k=v\]0;owned\[2J:NoExecute is not tolerated$/m);
  assert.match(out, /^ {2}admission changes ns\/agent: refused: admission webhook .* - privileged containers are forbidden$/m);
  assert.match(out, /^ {2}evil\]0;owned\[2J cannot take a surge pod: admission webhook .* - privileged containers are forbidden$/m);
});
