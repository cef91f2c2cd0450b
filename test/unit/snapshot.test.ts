// The snapshot reader against malformed files: every one is a usage error (exit 2) naming the file,
// the object and the field, never a JavaScript error from deep inside the model.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { UsageError } from '../../src/errors.ts';
import { loadSnapshot } from '../../src/io/snapshot.ts';
import { objectProblem } from '../../src/io/validate.ts';
import { runCli } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'ds-inspect-snap-'));
let n = 0;
function file(content: string | Buffer): string {
  const p = join(dir, `f${n++}.yaml`);
  writeFileSync(p, content);
  return p;
}

const run = runCli;

const node = (extra: string): string => `apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n${extra}\n`;
const ds = (spec: string): string =>
  `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: kube-system}\nspec:\n  selector: {matchLabels: {app: a}}\n  template:\n${spec}\n`;

test('malformed objects are usage errors naming the file, the object and the field', async () => {
  const cases: [name: string, text: string, re: RegExp][] = [
    ['taints not a list', node('spec: {taints: {key: a}}'), /: Node n1: spec\.taints is a map, not a list;/],
    ['taint without effect', node('spec: {taints: [{key: a}]}'), /: Node n1: spec\.taints\[0\]\.effect is missing/],
    ['taint key a number', node('spec: {taints: [{key: 5, effect: NoSchedule}]}'), /spec\.taints\[0\]\.key is a number, not a string \(quote the value in YAML\)/],
    ['labels a list', node('').replace('{name: n1}', '{name: n1, labels: [a, b]}'), /: Node n1: metadata\.labels is a list, not a map/],
    ['label value a boolean', node('').replace('{name: n1}', '{name: n1, labels: {gpu: true}}'), /metadata\.labels\.gpu is a boolean, not a string \(quote the value in YAML\)/],
    ['label value null', node('').replace('{name: n1}', '{name: n1, labels: {"kubernetes.io/os": null}}'), /metadata\.labels\["kubernetes\.io\/os"\] is null, not a string/],
    ['conditions a string', node('status: {conditions: Ready}'), /status\.conditions is a string, not a list/],
    ['condition null', node('status: {conditions: [null]}'), /status\.conditions\[0\] is null, not a map/],
    ['allocatable value a map', node('status: {allocatable: {cpu: {a: 1}}}'), /status\.allocatable\.cpu is a map, not a quantity/],
    ['tolerations a map', ds('    spec: {tolerations: {key: a}, containers: [{name: c}]}'), /: DaemonSet kube-system\/agent: spec\.template\.spec\.tolerations is a map, not a list/],
    ['containers a string', ds('    spec: {containers: nginx}'), /spec\.template\.spec\.containers is a string, not a list/],
    ['container without name', ds('    spec: {containers: [{image: x}]}'), /spec\.template\.spec\.containers\[0\]\.name is missing/],
    ['ports a map', ds('    spec: {containers: [{name: c, ports: {hostPort: 80}}]}'), /containers\[0\]\.ports is a map, not a list/],
    ['requests a list', ds('    spec: {containers: [{name: c, resources: {requests: [1]}}]}'), /containers\[0\]\.resources\.requests is a list, not a map/],
    ['nodeSelector a string', ds('    spec: {nodeSelector: gpu, containers: [{name: c}]}'), /spec\.template\.spec\.nodeSelector is a string, not a map/],
    [
      'affinity terms a map',
      ds('    spec: {affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: {a: 1}}}}, containers: [{name: c}]}'),
      /requiredDuringSchedulingIgnoredDuringExecution\.nodeSelectorTerms is a map, not a list/,
    ],
    [
      'requirement without key',
      ds('    spec: {affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{operator: In, values: [a]}]}]}}}, containers: [{name: c}]}'),
      /nodeSelectorTerms\[0\]\.matchExpressions\[0\]\.key is missing/,
    ],
    ['selector expressions a map', ds('    spec: {containers: [{name: c}]}').replace('{matchLabels: {app: a}}', '{matchExpressions: {key: a}}'), /spec\.selector\.matchExpressions is a map, not a list/],
    ['ownerReferences a map', 'kind: Pod\nmetadata: {name: p, namespace: x, ownerReferences: {uid: u}}\n', /: Pod x\/p: metadata\.ownerReferences is a map, not a list/],
    ['container statuses a map', 'kind: Pod\nmetadata: {name: p}\nstatus: {containerStatuses: {name: c}}\n', /status\.containerStatuses is a map, not a list/],
    ['container state message a number', 'kind: Pod\nmetadata: {name: p}\nstatus: {containerStatuses: [{name: c, state: {waiting: {message: 5}}}]}\n', /state\.waiting\.message is a number, not a string/],
    ['annotations a list', ds('    spec: {containers: [{name: c}]}').replace('namespace: kube-system}', 'namespace: kube-system, annotations: [a]}'), /metadata\.annotations is a list, not a map/],
    ['generation infinite', ds('    spec: {containers: [{name: c}]}').replace('namespace: kube-system}', 'namespace: kube-system, generation: .inf}'), /metadata\.generation is a number out of range, not a number/],
    ['revision infinite', 'kind: ControllerRevision\nmetadata: {name: r}\nrevision: .inf\n', /ControllerRevision r has no numeric revision/],
    ['revision data template containers a map', 'kind: ControllerRevision\nmetadata: {name: r}\nrevision: 1\ndata: {spec: {template: {spec: {containers: {a: 1}}}}}\n', /data\.spec\.template\.spec\.containers is a map, not a list/],
    ['event involvedObject a string', 'kind: Event\nmetadata: {name: e}\ninvolvedObject: pod-x\n', /: Event e: involvedObject is a string, not a map/],
    ['strategy maxUnavailable a list', ds('    spec: {containers: [{name: c}]}') + '  updateStrategy: {rollingUpdate: {maxUnavailable: [1]}}\n', /maxUnavailable is a list, not an integer or a string/],
  ];
  for (const [name, text, re] of cases) {
    const f = file(text);
    await assert.rejects(loadSnapshot([f]), (e: unknown) => {
      assert.ok(e instanceof UsageError, `${name}: ${String(e)}`);
      assert.ok(e.message.startsWith(`snapshot ${f}`), `${name}: ${e.message}`);
      assert.match(e.message, re, name);
      return true;
    });
  }
});

test('a malformed object exits 2 through the command, with one line on stderr', async () => {
  const f = file(node('spec: {taints: {key: a}}'));
  const r = await run(['coverage', '-A', '--snapshot', f]);
  assert.equal(r.code, 2);
  assert.equal(r.err, `error: snapshot ${f}: Node n1: spec.taints is a map, not a list; is this the output of \`kubectl get nodes,daemonsets,pods,controllerrevisions,events -A -o yaml\`?\n`);
});

test('nulls where Go encodes nil are accepted as absent', () => {
  const cases: [kind: string, obj: Record<string, unknown>][] = [
    ['Node', { metadata: { name: 'n', labels: null, creationTimestamp: null }, spec: { taints: null }, status: null }],
    ['Pod', { metadata: { name: 'p', ownerReferences: null }, spec: { tolerations: null, affinity: null, nodeSelector: null }, status: { conditions: null } }],
    ['DaemonSet', { metadata: { name: 'd' }, spec: { selector: null, template: { spec: { containers: [{ name: 'c', resources: { requests: null } }] } }, updateStrategy: { rollingUpdate: null } } }],
  ];
  for (const [kind, obj] of cases) assert.equal(objectProblem(kind, obj), undefined, kind);
});

test('the demo and the small fixture are well-formed', async () => {
  const s = await loadSnapshot(['examples/demo-cluster.yaml', 'test/fixtures/small.yaml']);
  assert.ok(s.nodes.length > 2 && s.daemonSets.length > 1);
});

test('alias bombs and deep nesting are usage errors; BOMs and UTF-16 are read', async () => {
  let laughs = 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  for (let i = 1; i < 10; i++) laughs += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]\n`;
  const small = 'kind: Node\nmetadata: {name: n1}\n';
  const errors: [name: string, content: string | Buffer, re: RegExp][] = [
    ['alias bomb', laughs, /YAML aliases expand into more than 10000 nodes/],
    ['deep YAML flow', `kind: Node\nmetadata: {name: n1}\nx: ${'['.repeat(5000)}${']'.repeat(5000)}\n`, /nested more than 256 levels deep/],
    ['deep YAML maps', `kind: Node\nmetadata: {name: n1}\nx: ${'{a: '.repeat(300)}1${'}'.repeat(300)}\n`, /nested more than 256 levels deep/],
    ['deep JSON', `{"kind":"List","items":${'['.repeat(100000)}${']'.repeat(100000)}}`, /nested more than 256 levels deep/],
    ['random bytes', Buffer.from([0x00, 0x01, 0x1b, 0x5b, 0x32, 0x4a, 0xc3, 0x28, 0x80]), /^snapshot .*: (invalid YAML|expected a Kubernetes object)/],
    ['a bare number', '42\n', /expected a Kubernetes object or List, found number/],
  ];
  for (const [name, content, re] of errors) {
    const f = file(content);
    await assert.rejects(loadSnapshot([f]), (e: unknown) => {
      assert.ok(e instanceof UsageError, `${name}: ${String(e)}`);
      assert.match(e.message, re, name);
      assert.ok(!e.message.includes('\x1b') && !e.message.includes('\n'), name);
      return true;
    });
  }
  const be = Buffer.from(`\uFEFF${small}`, 'utf16le').swap16();
  const readable: [name: string, content: string | Buffer][] = [
    ['UTF-8 BOM, YAML', `\uFEFF${small}`],
    ['UTF-8 BOM, JSON', `\uFEFF${JSON.stringify({ kind: 'Node', metadata: { name: 'n1' } })}`],
    ['UTF-16LE with BOM', Buffer.from(`\uFEFF${small}`, 'utf16le')],
    ['UTF-16BE with BOM', be],
  ];
  for (const [name, content] of readable) {
    const s = await loadSnapshot([file(content)]);
    assert.deepEqual(s.nodes.map((x) => x.metadata.name), ['n1'], name);
  }
  await assert.rejects(loadSnapshot(['-'], () => Promise.resolve('\uFFFD\uFFFDk\u0000i\u0000')), /snapshot <stdin>: is not UTF-8 text \(UTF-16 from standard input\?/);
});

test('a huge or hostile name is quoted short and printable', async () => {
  const f = file(`kind: Node\nmetadata: {name: "${'n'.repeat(100_000)}\\e[2J"}\nspec: {taints: 5}\n`);
  await assert.rejects(loadSnapshot([f]), (e: unknown) => {
    assert.ok(e instanceof UsageError);
    assert.match(e.message, /: Node n{80}\.\.\.: spec\.taints is a number, not a list;/);
    assert.ok(e.message.length < 400, `${e.message.length} characters`);
    return true;
  });
});
