// Terminal decisions and kubectl's jsonpath templates, as tables.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { interactive } from '../../src/commands/terminal.ts';
import { redrawingFrame } from '../../src/render/frame.ts';
import { compileTemplate } from '../../src/render/jsonpath.ts';
import type { CliIO, OutStream } from '../../src/runtime.ts';

const ioWith = (stderr: OutStream, env: NodeJS.ProcessEnv = {}): CliIO => ({ stdout: { write: () => true }, stderr, env, readStdin: () => Promise.resolve(''), now: () => 0 });

const spinnerCases: [string, OutStream, NodeJS.ProcessEnv, boolean][] = [
  ['a terminal of 80×24', { write: () => true, isTTY: true, columns: 80, rows: 24 }, {}, true],
  ['a terminal that reports 0×0 (CI runners, script)', { write: () => true, isTTY: true, columns: 0, rows: 0 }, {}, false],
  ['a terminal with no size', { write: () => true, isTTY: true }, {}, false],
  ['a pipe', { write: () => true, isTTY: false, columns: 80, rows: 24 }, {}, false],
  ['CI set', { write: () => true, isTTY: true, columns: 80, rows: 24 }, { CI: 'true' }, false],
  ['TERM=dumb', { write: () => true, isTTY: true, columns: 80, rows: 24 }, { TERM: 'dumb' }, false],
];
for (const [name, stderr, env, want] of spinnerCases) {
  test(`spinner and redraw only for people: ${name} → ${want}`, () => assert.equal(interactive(ioWith(stderr, env)), want));
}

const doc = {
  kind: 'DaemonSetCoverage',
  nodes: [
    { name: 'a', labels: { 'kubernetes.io/arch': 'amd64' } },
    { name: 'b', labels: { 'kubernetes.io/arch': 'arm64' } },
  ],
  cells: [
    { node: 'a', state: 'Ready', n: 1 },
    { node: 'b', state: 'Missing', n: 2 },
  ],
};
// kubectl (client-go util/jsonpath) output for the same template and document.
const templates: [string, string][] = [
  ['{.kind}', 'DaemonSetCoverage'],
  ['{.nodes[*].name}', 'a b'],
  ['{.nodes[0].name}', 'a'],
  ['{.nodes[-1:].name}', 'b'],
  ['{.cells[?(@.state=="Missing")].node}', 'b'],
  ['{.cells[?(@.n>1)].node}', 'b'],
  ['{range .nodes[*]}{.name}{"\\t"}{.labels.kubernetes\\.io/arch}{"\\n"}{end}', 'a\tamd64\nb\tarm64\n'],
  ['nodes: {.nodes[*].name}.', 'nodes: a b.'],
  ['{.nodes[0].labels}', '{"kubernetes.io/arch":"amd64"}'],
  ['{.missing}', ''],
  ['{..name}', 'a b'],
  ['{$.kind}', 'DaemonSetCoverage'],
];
for (const [template, want] of templates) {
  test(`jsonpath ${template}`, () => assert.equal(compileTemplate(template)(doc), want));
}

for (const bad of ['{.kind', '{range .nodes[*]}{.name}', '{end}', '{.a[0}']) {
  test(`jsonpath ${bad} is refused when parsed`, () => assert.throws(() => compileTemplate(bad)));
}

test('a redrawn frame goes up over the last one and overwrites it line by line, clearing only what is left', () => {
  const out: string[] = [];
  const f = redrawingFrame({ write: (x: string) => out.push(x) });
  f.draw('a long first line\nb\n');
  f.draw('short\n');
  // One write per frame; each line cleared to its end; the rest of the old frame cleared below the new one.
  assert.deepEqual(out, ['a long first line\x1b[K\nb\x1b[K\n\x1b[J', '\x1b[2Fshort\x1b[K\n\x1b[J']);
  // Never up-then-clear-to-the-end: from the top-left corner that is a whole-screen clear, which tmux
  // copies into the scrollback on every redraw.
  assert.ok(out.every((w) => !w.includes('F\x1b[J')));
});
