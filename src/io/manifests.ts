// `-f FILE` as kubectl reads it: files, directories (their .yaml, .yml and .json files, not recursive,
// as kubectl without -R), `-` for stdin, multi-document YAML and Lists. Only DaemonSets and Nodes are
// taken: they are what a change can add or replace.

import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../errors.ts';
import type { DaemonSet, Node } from '../model/types.ts';
import { loadSnapshot } from './snapshot.ts';

async function expand(path: string): Promise<string[]> {
  if (path === '-') return [path];
  let st;
  try {
    st = await stat(path);
  } catch {
    throw new UsageError(`-f ${path}: no such file or directory`);
  }
  if (!st.isDirectory()) return [path];
  const files = (await readdir(path)).filter((f) => /\.(ya?ml|json)$/.test(f)).sort().map((f) => join(path, f));
  if (files.length === 0) throw new UsageError(`-f ${path}: the directory holds no .yaml, .yml or .json file`);
  return files;
}

export interface Manifests {
  daemonSets: DaemonSet[];
  nodes: Node[];
}

/** The DaemonSets and Nodes of the -f arguments; one without a namespace gets `defaultNamespace`. */
export async function loadManifests(paths: readonly string[], readStdin: () => Promise<string>, defaultNamespace: string): Promise<Manifests> {
  const files = (await Promise.all(paths.map(expand))).flat();
  const state = await loadSnapshot(files, readStdin);
  if (state.daemonSets.length === 0 && state.nodes.length === 0) throw new UsageError(`-f ${paths.join(', ')}: no DaemonSet or Node in the manifests`);
  return {
    daemonSets: state.daemonSets.map((d) => ({ ...d, metadata: { ...d.metadata, namespace: d.metadata.namespace ?? defaultNamespace } })),
    nodes: state.nodes,
  };
}
