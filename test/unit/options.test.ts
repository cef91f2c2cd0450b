// kubectl's flag grammar → typed options: each spelling kubectl accepts parses to the same options as
// its canonical form, and every usage error is raised before any file is read or request sent.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildProgram, main } from '../../src/cli.ts';
import { flagTable, normalizeArgv } from '../../src/commands/flags.ts';
import { completeCoverage, completeHistory, completePauseResume, completeStatus, completeUndo, completeWhyNot, parseLabelSpec, parseTaintSpec, type RawFlags } from '../../src/commands/options.ts';
import type { CliIO } from '../../src/runtime.ts';

function io(): CliIO & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    env: {},
    readStdin: () => Promise.resolve(''),
    now: () => 0,
    out: () => out,
    err: () => err,
  };
}

const COMPLETE: Record<string, (args: string[], raw: RawFlags) => unknown> = {
  coverage: completeCoverage,
  'why-not': completeWhyNot,
  'rollout status': completeStatus,
  'rollout history': completeHistory,
  'rollout undo': completeUndo,
  'rollout pause': (a, r) => completePauseResume('pause', a, r),
};

/** Parse argv through the real program and grammar, capturing the completed options instead of running. */
async function optionsOf(argv: string[]): Promise<unknown> {
  const program = buildProgram(io());
  let captured: unknown;
  for (const [path, complete] of Object.entries(COMPLETE)) {
    const cmd = path.split(' ').reduce((c, n) => c.commands.find((x) => x.name() === n)!, program);
    cmd.action((...a: unknown[]) => {
      const raw = a[a.length - 2] as RawFlags;
      const positional = a.slice(0, -2).flat() as string[];
      captured = complete(positional, raw);
    });
  }
  await program.parseAsync(normalizeArgv(argv, flagTable(program, argv)), { from: 'user' });
  return JSON.parse(JSON.stringify(captured, (k, v: unknown) => (k === 'print' ? undefined : v))) as unknown;
}

const S = ['--snapshot', 'x.yaml'];
const spellings: [string, string[], string[]][] = [
  ['-n=x', ['coverage', '-n=kube-system', ...S], ['coverage', '-n', 'kube-system', ...S]],
  ['--namespace=x', ['coverage', '--namespace=kube-system', ...S], ['coverage', '-n', 'kube-system', ...S]],
  ['-o=wide', ['coverage', '-o=wide', ...S], ['coverage', '-o', 'wide', ...S]],
  ['-owide', ['coverage', '-owide', ...S], ['coverage', '-o', 'wide', ...S]],
  ['-l=app=x', ['coverage', '-l=app=x', ...S], ['coverage', '-l', 'app=x', ...S]],
  ['--selector=app=x', ['coverage', '--selector=app=x', ...S], ['coverage', '-l', 'app=x', ...S]],
  ['ds/NAME', ['coverage', 'ds/kube-proxy', ...S], ['coverage', 'kube-proxy', ...S]],
  ['daemonset/NAME', ['coverage', 'daemonset/kube-proxy', ...S], ['coverage', 'kube-proxy', ...S]],
  ['daemonsets.apps/NAME', ['coverage', 'daemonsets.apps/kube-proxy', ...S], ['coverage', 'kube-proxy', ...S]],
  ['daemonset NAME NAME', ['coverage', 'daemonset', 'a', 'b', ...S], ['coverage', 'a', 'b', ...S]],
  ['-A=true', ['coverage', '-A=true', ...S], ['coverage', '-A', ...S]],
  ['--all-namespaces=false', ['coverage', '--all-namespaces=false', ...S], ['coverage', ...S]],
  ['--no-headers=true', ['coverage', '--no-headers=true', ...S], ['coverage', '--no-headers', ...S]],
  ['--no-headers=false', ['coverage', '--no-headers=false', ...S], ['coverage', ...S]],
  ['node/NAME', ['why-not', 'node/w1', ...S], ['why-not', 'w1', ...S]],
  ['node NAME', ['why-not', 'node', 'w1', 'ds/a', ...S], ['why-not', 'w1', 'a', ...S]],
  ['nodes/NAME', ['why-not', 'nodes/w1', ...S], ['why-not', 'w1', ...S]],
  ['-w NAME does not swallow NAME', ['rollout', 'status', '-w', 'kube-proxy', '-n', 'x'], ['rollout', 'status', 'kube-proxy', '-n', 'x']],
  ['--watch=false', ['rollout', 'status', 'kube-proxy', '--watch=false'], ['rollout', 'status', 'kube-proxy', '-w=0']],
  ['--timeout=5m', ['rollout', 'status', 'a', '--timeout=5m'], ['rollout', 'status', 'a', '--timeout', '5m']],
  ['bare --dry-run is client and takes no word', ['rollout', 'undo', '--dry-run', 'kube-proxy'], ['rollout', 'undo', 'kube-proxy', '--dry-run=client']],
  ['--dry-run=server', ['rollout', 'pause', 'a', '--dry-run=server'], ['rollout', 'pause', '--dry-run=server', 'ds/a']],
  ['--to-revision=1', ['rollout', 'undo', 'a', '--to-revision=1'], ['rollout', 'undo', 'a', '--to-revision', '1']],
  ['--revision=2', ['rollout', 'history', 'a', '--revision=2', ...S], ['rollout', 'history', 'daemonset', 'a', '--revision', '2', ...S]],
  ['bare --diff is previous versus current', ['rollout', 'history', '--diff', 'a', ...S], ['rollout', 'history', 'a', '--diff', ...S]],
  ['-v=6', ['coverage', '-v=6', ...S], ['coverage', '--v', '6', ...S]],
  ['--request-timeout=10s', ['coverage', '--request-timeout=10s'], ['coverage', '--request-timeout', '10s']],
  ['--server=URL and --token', ['coverage', '--server=https://k:6443', '--token=t'], ['coverage', '-s', 'https://k:6443', '--token', 't']],
  ['--as-group repeatable', ['coverage', '--as=u', '--as-group=a', '--as-group=b'], ['coverage', '--as', 'u', '--as-group', 'a', '--as-group', 'b']],
];

for (const [name, kubectlForm, canonical] of spellings) {
  test(`flag grammar: ${name}`, async () => {
    assert.deepEqual(await optionsOf(kubectlForm), await optionsOf(canonical));
  });
}

test('flag grammar: the parsed values are the ones kubectl means', async () => {
  const o = (await optionsOf(['coverage', '-n=kube-system', '-o=jsonpath={.kind}', ...S])) as { scope: { namespace: string }; output: { kind: string; template: string } };
  assert.equal(o.scope.namespace, 'kube-system');
  assert.deepEqual(o.output, { kind: 'jsonpath', template: '{.kind}' });
  const st = (await optionsOf(['rollout', 'status', '-w', 'kube-proxy'])) as { watch: boolean; scope: { names: string[] } };
  assert.deepEqual([st.watch, st.scope.names], [true, ['kube-proxy']]);
  const off = (await optionsOf(['rollout', 'status', 'kube-proxy', '--watch=false'])) as { watch: boolean };
  assert.equal(off.watch, false);
  const policies = (await Promise.all([['kube-proxy'], ['kube-proxy', '--policy', 'kstatus'], ['kube-proxy', '--policy=all']].map((a) => optionsOf(['rollout', 'status', ...a])))) as { policy: string; watch: boolean }[];
  assert.deepEqual(policies.map((p) => [p.policy, p.watch]), [['kubectl', true], ['kstatus', true], ['all', false]]);
  const u = (await optionsOf(['rollout', 'undo', '--dry-run', 'kube-proxy'])) as { dryRun: string; names: string[] };
  assert.deepEqual([u.dryRun, u.names], ['client', ['kube-proxy']]);
});

// Usage errors come before I/O: against a server that does not exist they are exit 2, not exit 1.
const UNREACHABLE = ['--server', 'https://127.0.0.1:1', '--request-timeout', '2s'];
const usageErrors: [string, string[], RegExp][] = [
  ['history --revision abc', ['rollout', 'history', 'a', '--revision', 'abc', ...UNREACHABLE], /--revision: "abc" is not a revision number/],
  ['history --diff=1', ['rollout', 'history', 'a', '--diff=1', ...UNREACHABLE], /--diff takes two revision numbers/],
  ['undo --to-revision x', ['rollout', 'undo', 'a', '--to-revision', 'x', ...UNREACHABLE], /--to-revision: "x" is not a revision number/],
  ['undo --dry-run=maybe', ['rollout', 'undo', 'a', '--dry-run=maybe', ...UNREACHABLE], /--dry-run: must be "none", "server" or "client"/],
  ['status --timeout abc', ['rollout', 'status', 'a', '--timeout', 'abc', ...UNREACHABLE], /--timeout: invalid duration "abc"/],
  ['status --watch=maybe', ['rollout', 'status', 'a', '--watch=maybe', ...UNREACHABLE], /invalid argument "maybe" for "--watch" flag/],
  ['status without a name', ['rollout', 'status', ...UNREACHABLE], /name a DaemonSet/],
  ['status --watch with --snapshot', ['rollout', 'status', 'a', '--watch', '--snapshot', 'x.yaml'], /--watch cannot be used with --snapshot/],
  ['status --timeout with --snapshot', ['rollout', 'status', 'a', '--timeout', '1m', '--snapshot', 'x.yaml'], /--timeout cannot be used with --snapshot/],
  ['status --policy unknown', ['rollout', 'status', 'a', '--policy', 'flux', ...UNREACHABLE], /^error: --policy: unknown policy "flux"; allowed: kubectl, helm, kstatus, argocd, all$/m],
  ['status --policy all --watch', ['rollout', 'status', 'a', '--policy', 'all', '--watch', ...UNREACHABLE], /--policy all compares the policies on one look and cannot --watch/],
  ['status --policy all --timeout', ['rollout', 'status', 'a', '--policy=all', '--timeout', '1m', ...UNREACHABLE], /--policy all compares the policies on one look and cannot take --timeout/],
  ['--request-timeout abc with --snapshot', ['coverage', '--snapshot', 'x.yaml', '--request-timeout', 'abc'], /--request-timeout: invalid duration "abc"/],
  ['-v abc with --snapshot', ['coverage', '--snapshot', 'x.yaml', '-v', 'abc'], /-v: invalid log level "abc"/],
  ['-n and -A', ['coverage', '-n', 'a', '-A', ...UNREACHABLE], /--namespace and --all-namespaces cannot be used together/],
  ['-n with an invalid name', ['coverage', '-n', '=kube-system', ...UNREACHABLE], /not a valid namespace name/],
  ['--now without --snapshot', ['coverage', '--now', '2026-01-01T00:00:00Z', ...UNREACHABLE], /--now applies to --snapshot only/],
  ['--now not a time', ['coverage', '--now', 'yesterday', '--snapshot', 'x.yaml'], /--now: "yesterday" is not an RFC 3339 time/],
  ['-o jsonpath without a template', ['coverage', '-o', 'jsonpath=', ...UNREACHABLE], /jsonpath needs a template/],
  ['-o jsonpath unclosed', ['coverage', '-o', 'jsonpath={.kind', ...UNREACHABLE], /invalid jsonpath template: unclosed action/],
  ['-o yaml on a write', ['rollout', 'pause', 'a', '-o', 'yaml', ...UNREACHABLE], /unknown format "yaml"; allowed: name/],
  ['a bad reference', ['coverage', 'pod/x', ...UNREACHABLE], /"pod\/x" is not a DaemonSet reference/],
  ['history of two', ['rollout', 'history', 'a', 'b', ...UNREACHABLE], /name exactly one DaemonSet/],
  ['resume --strategy not JSON', ['rollout', 'resume', 'a', '--strategy', 'RollingUpdate', ...UNREACHABLE], /--strategy: not JSON/],
  ['write commands have no --snapshot', ['rollout', 'pause', 'a', '--snapshot', 'x.yaml'], /unknown option '--snapshot'/],
  ['write commands have no -A', ['rollout', 'restart', 'a', '-A'], /unknown option '-A'/],
  ['--as-group without --as', ['coverage', '--as-group', 'g', ...UNREACHABLE], /--as-group needs --as/],
  ['help for an unknown topic', ['help', 'nosuch'], /^error: unknown help topic "nosuch"/],
];

for (const [name, argv, message] of usageErrors) {
  test(`usage error before any I/O: ${name} → one line, exit 2`, async () => {
    const t = io();
    const code = await main(argv, t);
    assert.equal(code, 2, t.err());
    assert.match(t.err(), message);
    assert.equal(t.err().trim().split('\n').length, 1, t.err());
    assert.equal(t.out(), '');
  });
}

const taintSpecs: [string, unknown][] = [
  ['dedicated=gpu:NoExecute', { taint: { key: 'dedicated', value: 'gpu', effect: 'NoExecute' }, remove: false }],
  ['dedicated:NoSchedule', { taint: { key: 'dedicated', effect: 'NoSchedule' }, remove: false }],
  ['example.com/spot=true:PreferNoSchedule', { taint: { key: 'example.com/spot', value: 'true', effect: 'PreferNoSchedule' }, remove: false }],
  ['dedicated:NoExecute-', { taint: { key: 'dedicated', effect: 'NoExecute' }, remove: true }],
  ['dedicated-', { taint: { key: 'dedicated', effect: '' }, remove: true }],
];
for (const [spec, want] of taintSpecs) {
  test(`kubectl taint spec ${spec}`, () => assert.deepEqual(parseTaintSpec(spec), want));
}
const labelSpecs: [string, unknown][] = [
  ['disktype=ssd', { key: 'disktype', value: 'ssd' }],
  ['nvidia.com/gpu.present-', { key: 'nvidia.com/gpu.present', value: undefined }],
  ['empty=', { key: 'empty', value: '' }],
];
for (const [spec, want] of labelSpecs) {
  test(`kubectl label spec ${spec}`, () => assert.deepEqual(parseLabelSpec(spec), want));
}
for (const [argv, message] of [
  [['what-if', 'taint', 'n1', 'dedicated=gpu'], /invalid taint spec "dedicated=gpu"/],
  [['what-if', 'taint', 'n1', 'dedicated=gpu:Sometimes'], /invalid taint effect "Sometimes"/],
  [['what-if', 'taint', 'dedicated=gpu:NoSchedule'], /name the nodes/],
  [['what-if', 'taint', 'n1', '-l', 'a=b', 'k=v:NoSchedule'], /node names or -l SELECTOR, not both/],
  [['what-if', 'label', 'n1', 'bad key=1'], /name exactly one|invalid label key|give exactly one/],
  [['what-if', 'apply'], /give the manifests with -f FILE/],
  [['what-if', 'cordon', 'n1', '--fail-on', 'explode'], /--fail-on: unknown action "explode"/],
] as [string[], RegExp][]) {
  test(`what-if usage error: ${argv.join(' ')}`, async () => {
    const t = io();
    assert.equal(await main([...argv, ...UNREACHABLE], t), 2, t.err());
    assert.match(t.err(), message);
  });
}
