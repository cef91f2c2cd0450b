// The snapshot part's files (bench/run.mjs imports these): realistic dumps written as kubectl writes
// them, item by item, so a 170 MB file never exists as one string in the generator either.
//   realisticYaml  `kubectl get nodes,daemonsets,pods,controllerrevisions -A -o yaml` of the fleet of
//                  bench/realistic.mjs: block style, keys sorted, sequences under a key not indented
//                  (go-yaml v2 / sigs.k8s.io/yaml), `items:` then `kind: List`, `metadata.resourceVersion: ""`.
//   realisticJson  the same objects as `-o json` prints them (4-space indent, "items" before "kind").

import { closeSync, existsSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { snapshotItems } from './realistic.mjs';

/** go-yaml v2's layout as far as `yaml` can print it: 2 spaces, `- ` sequences at the key's column, no folding. */
const YAML_OPTIONS = { indent: 2, indentSeq: false, lineWidth: 0, minContentWidth: 0, sortMapEntries: true, defaultStringType: 'PLAIN', defaultKeyType: 'PLAIN', version: '1.1' };

/** Buffered writes to `file` (written as file.partial, renamed at the end: an interrupted run leaves no half file). */
function writer(file) {
  const fd = openSync(`${file}.partial`, 'w');
  let buf = [];
  let size = 0;
  const flush = () => {
    if (buf.length) writeSync(fd, buf.join(''));
    buf = [];
    size = 0;
  };
  return {
    write(s) {
      buf.push(s);
      size += s.length;
      if (size > 1 << 20) flush();
    },
    close() {
      flush();
      closeSync(fd);
      renameSync(`${file}.partial`, file);
    },
  };
}

/** One item of a kubectl -o yaml List: the object's lines under `- `, indented by 2. */
function yamlItem(obj) {
  const text = stringify(obj, YAML_OPTIONS);
  return `- ${text.slice(0, -1).replaceAll('\n', '\n  ')}\n`;
}

/** A realistic -o yaml dump of `nodes` nodes and `daemonSets` DaemonSets in dir; returns its path and counts. */
function realisticYaml(dir, nodes, daemonSets) {
  const file = join(dir, `realistic-${nodes}x${daemonSets}.yaml`);
  const counts = { nodes: 0, daemonSets: 0, pods: 0, controllerRevisions: 0 };
  if (!existsSync(file)) {
    const w = writer(file);
    w.write('apiVersion: v1\nitems:\n');
    for (const o of snapshotItems(nodes, daemonSets)) w.write(yamlItem(o));
    w.write('kind: List\nmetadata:\n  resourceVersion: ""\n');
    w.close();
  }
  for (const o of snapshotItems(nodes, daemonSets)) counts[{ Node: 'nodes', DaemonSet: 'daemonSets', Pod: 'pods', ControllerRevision: 'controllerRevisions' }[o.kind]]++;
  return { file, ...counts, sizeMB: Math.round(statSync(file).size / 2 ** 20) };
}

/** The same fleet as kubectl -o json prints it: 4-space indent, "items" before "kind". */
function realisticJson(dir, nodes, daemonSets) {
  const file = join(dir, `realistic-${nodes}x${daemonSets}.json`);
  const counts = { nodes: 0, daemonSets: 0, pods: 0, controllerRevisions: 0 };
  if (!existsSync(file)) {
    const w = writer(file);
    w.write('{\n    "apiVersion": "v1",\n    "items": [');
    let first = true;
    for (const o of snapshotItems(nodes, daemonSets)) {
      w.write(`${first ? '' : ','}\n        ${JSON.stringify(o, null, 4).replaceAll('\n', '\n        ')}`);
      first = false;
    }
    w.write('\n    ],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n');
    w.close();
  }
  for (const o of snapshotItems(nodes, daemonSets)) counts[{ Node: 'nodes', DaemonSet: 'daemonSets', Pod: 'pods', ControllerRevision: 'controllerRevisions' }[o.kind]]++;
  return { file, ...counts, sizeMB: Math.round(statSync(file).size / 2 ** 20) };
}

/** Targets of issue 14 for the realistic dumps: wall seconds and peak RSS (MB). */
const TARGETS = { yaml: { wallS: 20, rssMB: 1024 }, json: { wallS: null, rssMB: null } };

/**
 * coverage --snapshot on the realistic dumps, `runs` times each (alternating YAML and JSON): median,
 * min and max of wall time and peak RSS. `run(file)` measures one run ({ wall, rssMB }).
 */
export function benchRealisticSnapshots({ tmp, quick, runs, log, stats, run }) {
  const [nodes, daemonSets] = quick ? [100, 10] : [2000, 10];
  log(`snapshot: realistic dumps, ${nodes} nodes x ${daemonSets} DaemonSets (generated once, kept in ${tmp})`);
  const files = { yaml: realisticYaml(tmp, nodes, daemonSets), json: realisticJson(tmp, nodes, daemonSets) };
  const m = { yaml: { wall: [], rss: [] }, json: { wall: [], rss: [] } };
  for (let r = 0; r < Math.max(runs, quick ? 1 : 5); r++) {
    for (const k of ['yaml', 'json']) {
      const x = run(files[k].file);
      m[k].wall.push(x.wall);
      m[k].rss.push(x.rssMB);
    }
  }
  const out = {};
  for (const k of ['yaml', 'json']) {
    const { file, ...rest } = files[k];
    out[k] = { ...rest, file: file.slice(file.lastIndexOf('/') + 1), wallMedianS: stats(m[k].wall).median, wall: stats(m[k].wall), peakRss: stats(m[k].rss), target: TARGETS[k] };
  }
  return out;
}

/** Table rows for bench/run.mjs. */
export function realisticSnapshotRows(R) {
  if (!R) return [];
  return ['yaml', 'json'].map((k) => {
    const r = R[k];
    const t = r.target;
    const met = t.wallS === null ? '' : r.wall.median <= t.wallS && (r.peakRss.max ?? 0) <= t.rssMB ? 'yes' : 'NO';
    return [
      `snapshot realistic ${k.toUpperCase()}, ${r.nodes} nodes / ${r.pods} pods, ${r.sizeMB} MB (median of ${r.wall.n})`,
      `${r.wall.median}s / ${r.peakRss.median} MB`,
      `min ${r.wall.min}s, max ${r.wall.max}s / ${r.peakRss.min}-${r.peakRss.max} MB`,
      t.wallS === null ? '' : `<= ${t.wallS} s, <= ${t.rssMB} MB`,
      met,
    ];
  });
}
