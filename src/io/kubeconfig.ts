// Kubeconfig resolution with kubectl's loading rules (client-go clientcmd), so that `kubectl ds-inspect`
// talks to exactly the cluster, as exactly the user, in exactly the namespace `kubectl` would:
//  - `--kubeconfig FILE`: only that file (it must exist), no merging;
//  - else `KUBECONFIG` (a ':'-separated list; empty entries and missing files skipped, duplicates
//    ignored), merged so that the FIRST file defining a cluster/user/context name wins, and
//    current-context comes from the first file that sets one;
//  - else ~/.kube/config; else in-cluster config (service account) when running in a pod.
// Relative paths in a file resolve against that file's directory (clientcmd ResolveLocalPaths).
// --context, --cluster, --user and -n override the chosen context's fields.
// The result is handed to @kubernetes/client-node's KubeConfig (config.js only, not the generated
// API client) which applies certificates, tokens and exec credential plugins.

import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { UsageError, didYouMean } from '../errors.ts';

export interface ConnectionFlags {
  kubeconfig?: string | undefined;
  context?: string | undefined;
  cluster?: string | undefined;
  user?: string | undefined;
  namespace?: string | undefined;
}

export interface ResolvedConnection {
  kubeConfig: KubeConfig;
  contextName: string;
  clusterName: string;
  userName: string;
  server: string;
  /** -n, else the context's namespace, else "default". */
  namespace: string;
  namespaceExplicit: boolean;
  inCluster: boolean;
  /** The files that were read, in precedence order. */
  files: string[];
}

export interface FileAccess {
  readFile(path: string): string;
  exists(path: string): boolean;
}

const realFs: FileAccess = { readFile: (p) => readFileSync(p, 'utf8'), exists: (p) => existsSync(p) };

type Named = { name: string } & Record<string, unknown>;

interface RawConfig {
  clusters?: Named[] | null;
  users?: Named[] | null;
  contexts?: Named[] | null;
  'current-context'?: string;
}

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

function resolvePath(base: string, p: unknown): unknown {
  if (typeof p !== 'string' || p === '' || isAbsolute(p)) return p;
  if (p.startsWith('~/')) return join(homedir(), p.slice(2));
  return resolve(base, p);
}

/** clientcmd ResolveLocalPaths: file references are relative to the kubeconfig that holds them. */
function resolveLocalPaths(cfg: RawConfig, file: string): void {
  const base = dirname(resolve(file));
  for (const c of cfg.clusters ?? []) {
    const cluster = c.cluster as Record<string, unknown> | undefined;
    if (cluster) cluster['certificate-authority'] = resolvePath(base, cluster['certificate-authority']);
  }
  for (const u of cfg.users ?? []) {
    const user = u.user as Record<string, unknown> | undefined;
    if (!user) continue;
    for (const k of ['client-certificate', 'client-key', 'tokenFile', 'token-file']) user[k] = resolvePath(base, user[k]);
    const exec = user.exec as Record<string, unknown> | undefined;
    // An exec command is resolved only when it names a path (has a separator), as clientcmd does.
    if (exec && typeof exec.command === 'string' && exec.command.includes('/')) exec.command = resolvePath(base, exec.command);
  }
}

function readConfig(file: string, fs: FileAccess): RawConfig {
  let text: string;
  try {
    text = fs.readFile(file);
  } catch (e) {
    throw new UsageError(`cannot read kubeconfig ${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  let cfg: unknown;
  try {
    cfg = parseYaml(text);
  } catch (e) {
    throw new UsageError(`kubeconfig ${file} is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (cfg === null || cfg === undefined) return {};
  if (typeof cfg !== 'object' || Array.isArray(cfg)) throw new UsageError(`kubeconfig ${file} is not a kubeconfig (expected a mapping with clusters, users, contexts)`);
  const raw = cfg as RawConfig;
  for (const k of ['clusters', 'users', 'contexts'] as const) {
    const v = raw[k];
    if (v !== undefined && v !== null && !Array.isArray(v)) throw new UsageError(`kubeconfig ${file}: "${k}" must be a list`);
  }
  resolveLocalPaths(raw, file);
  return raw;
}

/** The files kubectl would read, in precedence order. */
export function kubeconfigFiles(flags: ConnectionFlags, env: NodeJS.ProcessEnv, fs: FileAccess = realFs): string[] {
  if (flags.kubeconfig) {
    if (!fs.exists(flags.kubeconfig)) throw new UsageError(`--kubeconfig ${flags.kubeconfig}: no such file`);
    return [flags.kubeconfig];
  }
  const list = env.KUBECONFIG;
  if (list !== undefined && list !== '') {
    const seen = new Set<string>();
    const out: string[] = [];
    for (const p of list.split(':')) {
      if (p === '' || seen.has(p)) continue;
      seen.add(p);
      if (fs.exists(p)) out.push(p);
    }
    return out;
  }
  const home = env.HOME ?? homedir();
  const def = join(home, '.kube', 'config');
  return fs.exists(def) ? [def] : [];
}

/** Merge with clientcmd's rule: the first file that defines a name (or current-context) wins. */
export function mergeConfigs(configs: readonly RawConfig[]): { clusters: Named[]; users: Named[]; contexts: Named[]; 'current-context': string } {
  const pick = (k: 'clusters' | 'users' | 'contexts'): Named[] => {
    const byName = new Map<string, Named>();
    for (const c of configs) for (const e of c[k] ?? []) if (e && typeof e.name === 'string' && !byName.has(e.name)) byName.set(e.name, e);
    return [...byName.values()];
  };
  const current = configs.find((c) => typeof c['current-context'] === 'string' && c['current-context'] !== '')?.['current-context'] ?? '';
  return { clusters: pick('clusters'), users: pick('users'), contexts: pick('contexts'), 'current-context': current };
}

function inClusterConnection(env: NodeJS.ProcessEnv, flags: ConnectionFlags, fs: FileAccess): ResolvedConnection | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port || !fs.exists(`${SA_DIR}/token`)) return undefined;
  const kc = new KubeConfig();
  kc.loadFromCluster();
  let ns = 'default';
  try {
    ns = fs.readFile(`${SA_DIR}/namespace`).trim() || 'default';
  } catch {
    /* no namespace file: default */
  }
  const cluster = kc.getCurrentCluster();
  return {
    kubeConfig: kc,
    contextName: kc.getCurrentContext(),
    clusterName: cluster?.name ?? 'inCluster',
    userName: kc.getCurrentUser()?.name ?? 'inClusterUser',
    server: cluster?.server ?? '',
    namespace: flags.namespace ?? ns,
    namespaceExplicit: flags.namespace !== undefined,
    inCluster: true,
    files: [],
  };
}

/** Resolve the connection as kubectl would; every failure is one line saying what to do. */
export function resolveConnection(flags: ConnectionFlags, env: NodeJS.ProcessEnv, fs: FileAccess = realFs): ResolvedConnection {
  const files = kubeconfigFiles(flags, env, fs);
  if (files.length === 0) {
    const ic = inClusterConnection(env, flags, fs);
    if (ic) return ic;
    throw new UsageError('no kubeconfig found: set KUBECONFIG, pass --kubeconfig FILE, or create ~/.kube/config (or use --snapshot FILE)');
  }
  const merged = mergeConfigs(files.map((f) => readConfig(f, fs)));
  const where = files.length === 1 ? files[0]! : `the merged kubeconfig (${files.join(':')})`;
  const contextName = flags.context ?? merged['current-context'];
  const contextEntry = merged.contexts.find((c) => c.name === contextName);
  if (contextName === '' && !flags.cluster) {
    throw new UsageError(`no current context in ${where}: pass --context NAME or run \`kubectl config use-context NAME\``);
  }
  if (contextName !== '' && !contextEntry && flags.context !== undefined) {
    throw new UsageError(`context "${contextName}" not found in ${where}${didYouMean(contextName, merged.contexts.map((c) => c.name))}`);
  }
  const ctx = (contextEntry?.context ?? {}) as { cluster?: string; user?: string; namespace?: string };
  const clusterName = flags.cluster ?? ctx.cluster ?? '';
  const userName = flags.user ?? ctx.user ?? '';
  const clusterEntry = merged.clusters.find((c) => c.name === clusterName);
  if (!clusterEntry) {
    const via = flags.cluster ? '--cluster' : `context "${contextName}"`;
    throw new UsageError(`cluster "${clusterName}" (from ${via}) not found in ${where}${didYouMean(clusterName, merged.clusters.map((c) => c.name))}`);
  }
  const userEntry = merged.users.find((u) => u.name === userName);
  if (userName !== '' && !userEntry && flags.user !== undefined) {
    throw new UsageError(`user "${userName}" (from --user) not found in ${where}${didYouMean(userName, merged.users.map((u) => u.name))}`);
  }
  const server = (clusterEntry.cluster as { server?: string } | undefined)?.server ?? '';
  if (server === '') throw new UsageError(`cluster "${clusterName}" in ${where} has no server address`);
  const effective = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [clusterEntry],
    // A context naming a user that no file defines connects anonymously, as kubectl does.
    users: [userEntry ?? { name: userName || 'anonymous', user: {} }],
    contexts: [{ name: contextName || 'ds-inspect', context: { cluster: clusterName, user: userEntry ? userName : userName || 'anonymous', ...(ctx.namespace ? { namespace: ctx.namespace } : {}) } }],
    'current-context': contextName || 'ds-inspect',
  };
  const kc = new KubeConfig();
  try {
    kc.loadFromString(JSON.stringify(effective));
  } catch (e) {
    throw new UsageError(`invalid kubeconfig entry in ${where}: ${(e as Error).message.split('\n')[0]}`);
  }
  return {
    kubeConfig: kc,
    contextName,
    clusterName,
    userName,
    server,
    namespace: flags.namespace ?? (ctx.namespace || 'default'),
    namespaceExplicit: flags.namespace !== undefined,
    inCluster: false,
    files,
  };
}

