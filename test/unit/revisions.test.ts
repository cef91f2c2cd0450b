// Revision vectors: util.IsPodUpdated (daemonset_util_test.go), GetTemplateGeneration, the
// current-revision choice of constructHistory compared by content (daemonset-semantics.md §4.1/§4.3), and
// the ControllerRevision listing of TestControlledHistories (update_test.go).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  controlledRevisions,
  currentRevision,
  isPodUpdated,
  revisionHash,
  templateGeneration,
  templatesEqual,
} from '../../src/model/revisions.ts';
import type { ControllerRevision, DaemonSet, Labels, Pod, PodTemplateSpec } from '../../src/model/types.ts';

const both: Labels = { 'pod-template-generation': '12345', 'controller-revision-hash': '55555' };
const generationOnly: Labels = { 'pod-template-generation': '12345' };

function pod(labels: Labels | undefined): Pod {
  return { metadata: { name: 'p', ...(labels ? { labels } : {}) } };
}

// [DS template generation, pod labels (undefined = nil), current hash, updated?]
const isUpdated: [generation: number, labelsName: string, labels: Labels | undefined, hash: string, want: boolean][] = [
  [12345, 'both', both, '55555', true],
  [12345, 'both', both, '55555123', true],
  [12345, 'generation only', generationOnly, '55555', true],
  [12345, 'generation only', generationOnly, '', true],
  [12345, 'both', both, '', true],
  [12350, 'both', both, '55555', true],
  [12350, 'both', both, '55555123', false],
  [12345, '{}', {}, '', false],
  [12345, '{}', {}, '55555', false],
  [12345, 'nil', undefined, '55555', false],
];
for (const [generation, labelsName, labels, hash, want] of isUpdated) {
  test(`daemonset_util_test.go IsPodUpdated: DS generation ${generation}, pod labels ${labelsName}, hash ${JSON.stringify(hash)} → ${want}`, () => {
    assert.equal(isPodUpdated(pod(labels), hash, String(generation)), want);
  });
}

test('daemonset_util_test.go IsPodUpdated: no DS generation (annotation missing) → only the hash decides', () => {
  assert.equal(isPodUpdated(pod(both), '55555', undefined), true);
  assert.equal(isPodUpdated(pod(both), '66666', undefined), false);
  assert.equal(isPodUpdated(pod(generationOnly), '', undefined), false);
});

function dsWith(annotations: Record<string, string> | undefined, template?: PodTemplateSpec): DaemonSet {
  return {
    metadata: { name: 'foo', namespace: 'ns', uid: 'ds-uid', ...(annotations ? { annotations } : {}) },
    spec: {
      selector: { matchLabels: { app: 'foo' } },
      template: template ?? { metadata: { labels: { app: 'foo' } }, spec: { containers: [{ name: 'c', image: 'img:1' }] } },
    },
  };
}

// GetTemplateGeneration: strconv.ParseInt(annotation, 10, 64); a parse error means "no generation".
const generations: [string | undefined, string | undefined][] = [
  ['12345', '12345'],
  ['1', '1'],
  [undefined, undefined],
  ['abc', undefined],
  ['', undefined],
  ['1.5', undefined],
  ['9223372036854775807', '9223372036854775807'],
  ['9223372036854775808', undefined],
];
for (const [annotation, want] of generations) {
  test(`daemonset_util_test.go GetTemplateGeneration: annotation ${JSON.stringify(annotation)} → ${want ?? 'none'}`, () => {
    assert.equal(templateGeneration(dsWith(annotation === undefined ? undefined : { 'deprecated.daemonset.template.generation': annotation })), want);
  });
}

test('daemonset_util_test.go IsPodUpdated: a generation label beyond int64 never matches an unparsable annotation', () => {
  const d = dsWith({ 'deprecated.daemonset.template.generation': '9223372036854775808' });
  assert.equal(isPodUpdated(pod({ 'pod-template-generation': '9223372036854775808' }), '', templateGeneration(d)), false);
});

const template: PodTemplateSpec = {
  metadata: { labels: { app: 'foo' } },
  spec: { containers: [{ name: 'c', image: 'img:1' }] },
};

function rev(n: number, hash: string, data: unknown, over: { namespace?: string; owner?: string | null; labels?: Labels } = {}): ControllerRevision {
  const owner = over.owner === undefined ? 'ds-uid' : over.owner;
  return {
    metadata: {
      name: `foo-${hash}`,
      namespace: over.namespace ?? 'ns',
      labels: over.labels ?? { app: 'foo', 'controller-revision-hash': hash },
      ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'foo', uid: owner, controller: true }] } : {}),
    },
    revision: n,
    data,
  };
}

function patchOf(t: unknown): unknown {
  return { spec: { template: t } };
}

test('current revision: data {$patch: replace, …} equal to the DS template matches ($patch ignored)', () => {
  const r = rev(1, 'aaa', patchOf({ $patch: 'replace', ...template }));
  assert.equal(currentRevision(dsWith(undefined, template), [r])?.revision, 1);
});

test('current revision: creationTimestamp: null in the stored template is treated as absent (1.34 omitzero change)', () => {
  const stored = { $patch: 'replace', metadata: { creationTimestamp: null, labels: { app: 'foo' } }, spec: template.spec };
  assert.equal(currentRevision(dsWith(undefined, template), [rev(1, 'aaa', patchOf(stored))])?.revision, 1);
  // and the other way round: the DS carries creationTimestamp: null, the revision does not
  const dsNull = dsWith(undefined, { metadata: { creationTimestamp: null, labels: { app: 'foo' } }, spec: template.spec });
  assert.equal(currentRevision(dsNull, [rev(1, 'aaa', patchOf({ $patch: 'replace', ...template }))])?.revision, 1);
});

test('current revision: content compare, not bytes: key order does not matter', () => {
  const reordered = { spec: { containers: [{ image: 'img:1', name: 'c' }] }, $patch: 'replace', metadata: { labels: { app: 'foo' } } };
  assert.equal(currentRevision(dsWith(undefined, template), [rev(1, 'aaa', patchOf(reordered))])?.revision, 1);
});

test('current revision: a different image does not match; no revision is current', () => {
  const other = { $patch: 'replace', metadata: { labels: { app: 'foo' } }, spec: { containers: [{ name: 'c', image: 'img:2' }] } };
  assert.equal(currentRevision(dsWith(undefined, template), [rev(1, 'aaa', patchOf(other))]), undefined);
});

test('current revision: content differences that are not null still count (extra label, container order)', () => {
  const extraLabel = { $patch: 'replace', metadata: { labels: { app: 'foo', x: 'y' } }, spec: template.spec };
  assert.equal(templatesEqual(extraLabel as PodTemplateSpec, template), false);
  const two: PodTemplateSpec = { spec: { containers: [{ name: 'a' }, { name: 'b' }] } };
  const swapped: PodTemplateSpec = { spec: { containers: [{ name: 'b' }, { name: 'a' }] } };
  assert.equal(templatesEqual(two, swapped), false);
});

test('current revision: several matching revisions → the highest revision number wins (constructHistory dedup)', () => {
  const same = { $patch: 'replace', ...template };
  const revs = [rev(3, 'ccc', patchOf(same)), rev(1, 'aaa', patchOf(same)), rev(2, 'bbb', patchOf({ $patch: 'replace', spec: {} }))];
  const cur = currentRevision(dsWith(undefined, template), revs);
  assert.ok(cur);
  assert.equal(cur.revision, 3);
  assert.equal(revisionHash(cur), 'ccc');
});

test('current revision: a matching revision owned by another DaemonSet is not considered', () => {
  const r = rev(1, 'aaa', patchOf({ $patch: 'replace', ...template }), { owner: 'other-uid' });
  assert.equal(currentRevision(dsWith(undefined, template), [r]), undefined);
});

test('revision hash: the controller-revision-hash label, or the name for a legacy revision without it', () => {
  assert.equal(revisionHash(rev(1, 'abc', {})), 'abc');
  assert.equal(revisionHash(rev(1, 'abc', {}, { labels: { app: 'foo' } })), 'foo-abc');
});

// TestControlledHistories.
test('update_test.go TestControlledHistories: an owned CR and a matching orphan in the same namespace are both returned', () => {
  const owned = rev(1, 'aaa', {});
  const orphan = rev(2, 'bbb', {}, { owner: null });
  assert.deepEqual(controlledRevisions(dsWith(undefined), [orphan, owned]).map((r) => r.metadata.name), ['foo-aaa', 'foo-bbb']);
});

test('update_test.go TestControlledHistories: a matching orphan in another namespace is not returned', () => {
  const orphanElsewhere = rev(1, 'aaa', {}, { owner: null, namespace: 'other' });
  assert.deepEqual(controlledRevisions(dsWith(undefined), [orphanElsewhere]), []);
});

test('update_test.go ControllerRevision claim: an orphan whose labels do not match and a CR owned by another controller are not returned', () => {
  const nonMatching = rev(1, 'aaa', {}, { owner: null, labels: { app: 'bar' } });
  const foreign = rev(2, 'bbb', {}, { owner: 'other-uid' });
  assert.deepEqual(controlledRevisions(dsWith(undefined), [nonMatching, foreign]), []);
});
