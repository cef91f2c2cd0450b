// Kubeconfig resolution with kubectl's loading rules (client-go clientcmd), so that `kubectl ds-inspect`
// talks to exactly the cluster, as exactly the user, in exactly the namespace `kubectl` would:
//  - `--kubeconfig FILE`: only that file (it must exist), no merging;
//  - else `KUBECONFIG` (a ':'-separated list; empty entries and missing files skipped, duplicates
//    ignored; no fallback to ~/.kube/config even when every listed file is missing), merged so that the
//    FIRST file defining a cluster/user/context name wins (the whole entry, not field by field), and
//    current-context comes from the first file that sets one;
//  - else $HOME/.kube/config;
//  - in-cluster config (service account) when no kubeconfig yields a cluster and the pod environment is
//    there (KUBERNETES_SERVICE_HOST/PORT and the service-account token).
// Relative paths in a file resolve against that file's directory (clientcmd ResolveLocalPaths): the
// certificate-authority, client-certificate, client-key, tokenFile, and an exec command that contains a
// path separator. No "~" expansion (kubectl has none either).
// --context, --cluster, --user, -n, --server, --token and --insecure-skip-tls-verify override as in
// clientcmd's DirectClientConfig.
// We merge ourselves because client-node's loadFromDefault does not match kubectl: it throws on a name
// defined in two files and takes current-context from the last file. The chosen cluster, user and
// context are then handed to @kubernetes/client-node's KubeConfig (config.js only, not the generated
// API client), which applies certificates, tokens and exec credential plugins.

import { existsSync, readFileSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import type { Cluster, Context, User } from '@kubernetes/client-node/dist/config_types.js';
import { parseDuration } from '../util/duration.ts';
import { UsageError } from '../errors.ts';

export interface ConnectionFlags {
  kubeconfig?: string | undefined;
  context?: string | undefined;
  cluster?: string | undefined;
  user?: string | undefined;
  namespace?: string | undefined;
  /** --server: replaces the cluster's server (and its tls-server-name, as kubectl does). */
  server?: string | undefined;
  /** --token: replaces the user's credentials that produce a bearer token (token, tokenFile, exec, auth-provider). */
  token?: string | undefined;
  /** --insecure-skip-tls-verify: also drops the cluster's certificate authority, as kubectl does. */
  insecureSkipTlsVerify?: boolean | undefined;
  /** --request-timeout: kubectl duration syntax ("0" = none). */
  requestTimeout?: string | undefined;
}

export interface ResolvedConnection {
  /** Holds exactly the resolved cluster, user and context, the context being current. */
  cluster: Cluster;
  user: User;
  context: Context;
  /** "" when no context is used (e.g. only --cluster/--server given). */
  contextName: string;
  clusterName: string;
  /** "" when the context names no user (anonymous). */
  userName: string;
  /** The cluster's server URL without trailing slashes (as kc.getCurrentCluster().server). */
  server: string;
  /** -n, else the context's namespace, else "default" (or the pod's namespace when running in a pod). */
  namespace: string;
  namespaceExplicit: boolean;
  inCluster: boolean;
  /** The kubeconfig files that were read, in precedence order. */
  files: string[];
  /** --request-timeout in milliseconds; 0 = none. */
  requestTimeoutMs: number;
}

export interface FileAccess {
  readFile(path: string): string;
  exists(path: string): boolean;
}

const realFs: FileAccess = { readFile: (p) => readFileSync(p, 'utf8'), exists: (p) => existsSync(p) };

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

type Obj = Record<string, unknown>;

/** One named entry of a kubeconfig list, with the file that defined it. */
interface Entry {
  name: string;
  body: Obj;
  file: string;
}

interface LoadedConfig {
  file: string;
  clusters: Entry[];
  users: Entry[];
  contexts: Entry[];
  currentContext: string;
}

interface MergedConfig {
  clusters: Map<string, Entry>;
  users: Map<string, Entry>;
  contexts: Map<string, Entry>;
  currentContext: string;
}

const LISTS = [
  { key: 'clusters', body: 'cluster', noun: 'cluster' },
  { key: 'users', body: 'user', noun: 'user' },
  { key: 'contexts', body: 'context', noun: 'context' },
] as const;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'a mapping' : `a ${typeof v}`;
}

function firstLine(e: unknown): string {
  return ((e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '').trim();
}

/** "a, b, c" with at most ten names; "none" when empty. */
function available(names: Iterable<string>): string {
  const all = [...names].sort();
  if (all.length === 0) return 'none';
  const shown = all.slice(0, 10).join(', ');
  return all.length > 10 ? `${shown}, … (${all.length - 10} more)` : shown;
}

function resolvePath(base: string, p: unknown): unknown {
  if (typeof p !== 'string' || p === '' || isAbsolute(p)) return p;
  return join(base, p);
}

/** clientcmd ResolveLocalPaths: file references are relative to the kubeconfig that holds them. */
function resolveLocalPaths(clusters: Entry[], users: Entry[], file: string): void {
  const base = dirname(resolve(file));
  for (const c of clusters) c.body['certificate-authority'] = resolvePath(base, c.body['certificate-authority']);
  for (const u of users) {
    for (const k of ['client-certificate', 'client-key', 'tokenFile']) u.body[k] = resolvePath(base, u.body[k]);
    const exec = u.body.exec;
    // An exec command is resolved only when it names a path (contains a separator); else it is looked up in PATH.
    if (isObj(exec) && typeof exec.command === 'string' && exec.command.includes(sep)) exec.command = resolvePath(base, exec.command);
  }
}

/** Read and check one kubeconfig file; relative paths inside it are made absolute. */
function readConfig(file: string, fs: FileAccess = realFs): LoadedConfig {
  let text: string;
  try {
    text = fs.readFile(file);
  } catch (e) {
    throw new UsageError(`cannot read kubeconfig ${file}: ${firstLine(e)}`);
  }
  let doc: unknown;
  try {
    // YAML 1.1 like kubectl's parser (yes/no/on/off are booleans there).
    doc = parseYaml(text, { version: '1.1' });
  } catch (e) {
    // The first line of a yaml error is the message with line and column, never the file's content.
    throw new UsageError(`kubeconfig ${file} is not valid YAML: ${firstLine(e)}; fix the file or leave it out of KUBECONFIG`);
  }
  const out: LoadedConfig = { file, clusters: [], users: [], contexts: [], currentContext: '' };
  if (doc === null || doc === undefined) return out;
  if (!isObj(doc)) throw new UsageError(`kubeconfig ${file} is not a kubeconfig: expected a mapping with clusters, users and contexts, found ${kindOf(doc)}`);
  for (const { key, body, noun } of LISTS) {
    const list = doc[key];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) throw new UsageError(`kubeconfig ${file}: "${key}" must be a list, found ${kindOf(list)}`);
    const seen = new Set<string>();
    list.forEach((item: unknown, i) => {
      if (!isObj(item)) throw new UsageError(`kubeconfig ${file}: ${key}[${i}] must be a mapping with name and ${body}, found ${kindOf(item)}`);
      const name = item.name;
      if (name !== undefined && name !== null && typeof name !== 'string') throw new UsageError(`kubeconfig ${file}: ${key}[${i}].name must be a string (quote it)`);
      if (!name) return; // nameless entries cannot be referenced
      if (seen.has(name)) throw new UsageError(`kubeconfig ${file}: ${noun} "${name}" is defined twice in the same file; remove one`);
      seen.add(name);
      const b = item[body];
      if (b !== undefined && b !== null && !isObj(b)) throw new UsageError(`kubeconfig ${file}: ${key}[${i}] ("${name}"): "${body}" must be a mapping, found ${kindOf(b)}`);
      out[key].push({ name, body: { ...(b ?? {}) }, file });
    });
  }
  const cur = doc['current-context'];
  if (cur !== undefined && cur !== null && typeof cur !== 'string') throw new UsageError(`kubeconfig ${file}: current-context must be a string`);
  out.currentContext = cur ?? '';
  resolveLocalPaths(out.clusters, out.users, file);
  return out;
}

/** The files kubectl would read, in precedence order. */
function kubeconfigFiles(flags: ConnectionFlags, env: NodeJS.ProcessEnv, fs: FileAccess = realFs): string[] {
  if (flags.kubeconfig) {
    if (!fs.exists(flags.kubeconfig)) throw new UsageError(`--kubeconfig ${flags.kubeconfig}: no such file; pass the path of an existing kubeconfig`);
    return [flags.kubeconfig];
  }
  const list = env.KUBECONFIG;
  if (list !== undefined && list !== '') {
    const seen = new Set<string>();
    const out: string[] = [];
    for (const p of list.split(delimiter)) {
      if (p === '' || seen.has(p)) continue;
      seen.add(p);
      if (fs.exists(p)) out.push(p);
    }
    return out;
  }
  const def = join(env.HOME ?? homedir(), '.kube', 'config');
  return fs.exists(def) ? [def] : [];
}

/** Merge with clientcmd's rule: the first file that defines a name (or current-context) wins. */
function mergeConfigs(configs: readonly LoadedConfig[]): MergedConfig {
  const pick = (k: 'clusters' | 'users' | 'contexts'): Map<string, Entry> => {
    const byName = new Map<string, Entry>();
    for (const c of configs) for (const e of c[k]) if (!byName.has(e.name)) byName.set(e.name, e);
    return byName;
  };
  const currentContext = configs.find((c) => c.currentContext !== '')?.currentContext ?? '';
  return { clusters: pick('clusters'), users: pick('users'), contexts: pick('contexts'), currentContext };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

// ---- in-cluster (clientcmd inClusterClientConfig / rest.InClusterConfig)

function inClusterPossible(env: NodeJS.ProcessEnv, fs: FileAccess): boolean {
  return !!env.KUBERNETES_SERVICE_HOST && !!env.KUBERNETES_SERVICE_PORT && fs.exists(`${SERVICE_ACCOUNT_DIR}/token`);
}

/** POD_NAMESPACE, else the service account's namespace file, else "default". */
function inClusterNamespace(env: NodeJS.ProcessEnv, fs: FileAccess): string {
  if (env.POD_NAMESPACE) return env.POD_NAMESPACE;
  try {
    const ns = fs.readFile(`${SERVICE_ACCOUNT_DIR}/namespace`).trim();
    if (ns !== '') return ns;
  } catch {
    /* no namespace file */
  }
  return 'default';
}

function inClusterConnection(flags: ConnectionFlags, env: NodeJS.ProcessEnv, fs: FileAccess, requestTimeoutMs: number): ResolvedConnection {
  const host = env.KUBERNETES_SERVICE_HOST!;
  const server = (flags.server ?? `https://${isIPv6(host) ? `[${host}]` : host}:${env.KUBERNETES_SERVICE_PORT}`).replace(/\/+$/, '');
  let token = flags.token;
  if (token === undefined) {
    try {
      token = fs.readFile(`${SERVICE_ACCOUNT_DIR}/token`).trim();
    } catch (e) {
      throw new UsageError(`in-cluster config: cannot read the service account token ${SERVICE_ACCOUNT_DIR}/token: ${firstLine(e)}`);
    }
  }
  const caFile = `${SERVICE_ACCOUNT_DIR}/ca.crt`;
  const insecure = flags.insecureSkipTlsVerify === true;
  const cluster: Cluster = { name: 'inCluster', server, skipTLSVerify: insecure, caFile: !insecure && fs.exists(caFile) ? caFile : undefined };
  const user: User = { name: 'inClusterUser', token };
  const namespace = flags.namespace ?? inClusterNamespace(env, fs);
  const context: Context = { name: 'inClusterContext', cluster: cluster.name, user: user.name, namespace };
  return {
    cluster,
    user,
    context,
    contextName: context.name,
    clusterName: cluster.name,
    userName: user.name,
    server,
    namespace,
    namespaceExplicit: flags.namespace !== undefined,
    inCluster: true,
    files: [],
    requestTimeoutMs,
  };
}

// ---- kubeconfig entries -> client-node objects

function toCluster(name: string, raw: Obj, where: string, flags: ConnectionFlags): Cluster {
  const c = { ...raw };
  if (flags.server !== undefined) {
    c.server = flags.server;
    delete c['tls-server-name']; // kubectl: --server clears tls-server-name unless --tls-server-name is given
  }
  if (flags.insecureSkipTlsVerify === true) {
    c['insecure-skip-tls-verify'] = true;
    delete c['certificate-authority'];
    delete c['certificate-authority-data'];
  }
  const server = str(c.server).replace(/\/+$/, '');
  if (server === '') throw new UsageError(`cluster "${name}" in ${where} has no server: set clusters[].cluster.server or pass --server URL`);
  const insecure = c['insecure-skip-tls-verify'] === true;
  const caFile = nonEmpty(str(c['certificate-authority']));
  const caData = nonEmpty(str(c['certificate-authority-data']));
  if (insecure && (caFile || caData)) {
    throw new UsageError(`cluster "${name}" in ${where} sets both insecure-skip-tls-verify and a certificate authority, which kubectl refuses too: remove one of them`);
  }
  return {
    name,
    server,
    skipTLSVerify: insecure,
    caFile,
    caData,
    tlsServerName: nonEmpty(str(c['tls-server-name'])),
    proxyUrl: nonEmpty(str(c['proxy-url'])),
  };
}

function toUser(name: string, raw: Obj, where: string, flags: ConnectionFlags, fs: FileAccess): User {
  const u = { ...raw };
  if (flags.token !== undefined) {
    u.token = flags.token;
    delete u.tokenFile;
    delete u.exec;
    delete u['auth-provider'];
  }
  let token = nonEmpty(str(u.token));
  const tokenFile = nonEmpty(str(u.tokenFile));
  if (tokenFile) {
    // client-go prefers the file's (trimmed) content and falls back to a static token.
    try {
      token = fs.readFile(tokenFile).trim();
    } catch (e) {
      if (!token) throw new UsageError(`user "${name}" in ${where}: cannot read tokenFile ${tokenFile}: ${firstLine(e)}`);
    }
  }
  const certFile = nonEmpty(str(u['client-certificate']));
  const certData = nonEmpty(str(u['client-certificate-data']));
  const keyFile = nonEmpty(str(u['client-key']));
  const keyData = nonEmpty(str(u['client-key-data']));
  const username = nonEmpty(str(u.username));
  const password = nonEmpty(str(u.password));
  let exec = isObj(u.exec) ? u.exec : undefined;
  const authProvider = isObj(u['auth-provider']) ? u['auth-provider'] : undefined;
  if (exec && authProvider) throw new UsageError(`user "${name}" in ${where} sets both exec and auth-provider, which kubectl refuses too: keep one`);
  // client-go runs no exec plugin when a token, basic auth or a client certificate is already there.
  if (exec && (token || (username && password) || ((certFile || certData) && (keyFile || keyData)))) exec = undefined;
  if (exec && !nonEmpty(str(exec.command))) throw new UsageError(`user "${name}" in ${where}: exec has no command`);
  return {
    name,
    token,
    certFile,
    certData,
    keyFile,
    keyData,
    username,
    password,
    exec,
    authProvider,
    impersonateUser: nonEmpty(str(u.as)),
  };
}

/** Resolve the connection as kubectl would; every failure is one line saying what to do. */
export function resolveConnection(rawFlags: ConnectionFlags, env: NodeJS.ProcessEnv, fs: FileAccess = realFs): ResolvedConnection {
  // kubectl treats an empty flag value as not given.
  const flags: ConnectionFlags = {
    kubeconfig: nonEmpty(rawFlags.kubeconfig),
    context: nonEmpty(rawFlags.context),
    cluster: nonEmpty(rawFlags.cluster),
    user: nonEmpty(rawFlags.user),
    namespace: nonEmpty(rawFlags.namespace),
    server: nonEmpty(rawFlags.server),
    token: nonEmpty(rawFlags.token),
    insecureSkipTlsVerify: rawFlags.insecureSkipTlsVerify === true,
    requestTimeout: nonEmpty(rawFlags.requestTimeout),
  };
  const requestTimeoutMs = flags.requestTimeout === undefined ? 0 : parseDuration('--request-timeout', flags.requestTimeout);
  const files = kubeconfigFiles(flags, env, fs);
  const merged = mergeConfigs(files.map((f) => readConfig(f, fs)));
  const where = files.length === 0 ? 'kubeconfig (none found)' : `kubeconfig ${files.join(delimiter)}`;
  const icPossible = inClusterPossible(env, fs);

  const contextName = flags.context ?? merged.currentContext;
  const contextEntry = contextName ? merged.contexts.get(contextName) : undefined;
  if (contextName && !contextEntry) {
    const avail = `available: ${available(merged.contexts.keys())}`;
    if (flags.context !== undefined) throw new UsageError(`context "${contextName}" not found in ${where}; ${avail}`);
    throw new UsageError(`current-context "${contextName}" not found in ${where}; ${avail}; pass --context NAME or run \`kubectl config use-context NAME\``);
  }
  const ctx = contextEntry?.body ?? {};
  const clusterName = flags.cluster ?? str(ctx.cluster);
  const userName = flags.user ?? str(ctx.user);
  const clusterEntry = clusterName ? merged.clusters.get(clusterName) : undefined;
  if (flags.cluster !== undefined && !clusterEntry) {
    throw new UsageError(`cluster "${flags.cluster}" (from --cluster) not found in ${where}; available: ${available(merged.clusters.keys())}`);
  }
  if (flags.user !== undefined && !merged.users.has(flags.user)) {
    throw new UsageError(`user "${flags.user}" (from --user) not found in ${where}; available: ${available(merged.users.keys())}`);
  }
  if (!clusterEntry && flags.server === undefined) {
    // kubectl's "empty config": use the pod's service account when there is one.
    if (icPossible) return inClusterConnection(flags, env, fs, requestTimeoutMs);
    if (files.length === 0) {
      const listed = env.KUBECONFIG ? `none of the files in KUBECONFIG exist (${env.KUBECONFIG}); ` : '';
      throw new UsageError(`no kubeconfig found: ${listed}set KUBECONFIG, pass --kubeconfig FILE, or create ~/.kube/config (or use --snapshot FILE)`);
    }
    if (!contextName) {
      if (merged.contexts.size === 0) throw new UsageError(`${where} defines no contexts: add one with \`kubectl config set-context\`, or pass --kubeconfig FILE`);
      throw new UsageError(`no current context in ${where}: pass --context NAME or run \`kubectl config use-context NAME\`; available: ${available(merged.contexts.keys())}`);
    }
    if (!clusterName) throw new UsageError(`context "${contextName}" in ${contextEntry!.file} names no cluster: set its cluster, or pass --cluster NAME`);
    throw new UsageError(`context "${contextName}" refers to cluster "${clusterName}", which is not defined in ${where}; available clusters: ${available(merged.clusters.keys())}`);
  }
  const userEntry = userName ? merged.users.get(userName) : undefined;
  if (userName && !userEntry) {
    throw new UsageError(`context "${contextName}" refers to user "${userName}", which is not defined in ${where}; available users: ${available(merged.users.keys())}; fix the context or pass --user NAME`);
  }

  const cluster = toCluster(clusterName || 'cluster', clusterEntry?.body ?? {}, clusterEntry ? `kubeconfig ${clusterEntry.file}` : where, flags);
  const user = toUser(userName || 'anonymous', userEntry?.body ?? {}, userEntry ? `kubeconfig ${userEntry.file}` : where, flags, fs);
  const ctxNamespace = str(ctx.namespace);
  // kubectl (DeferredLoadingClientConfig.Namespace): a context without a namespace, inside a pod,
  // gets the pod's namespace.
  const namespace = flags.namespace ?? (ctxNamespace || (icPossible ? inClusterNamespace(env, fs) : 'default'));
  const context: Context = { name: contextName || 'ds-inspect', cluster: cluster.name, user: user.name, namespace };
  return {
    cluster,
    user,
    context,
    contextName,
    clusterName,
    userName,
    server: cluster.server,
    namespace,
    namespaceExplicit: flags.namespace !== undefined,
    inCluster: false,
    files,
    requestTimeoutMs,
  };
}

/**
 * client-node's KubeConfig for the resolved entries, for credentials we do not apply ourselves (exec
 * plugins, auth providers). Loaded on demand: its module pulls in the whole generated API client
 * (about 600 ms), which plain certificate and token users never need.
 */
export async function loadKubeConfig(conn: Pick<ResolvedConnection, 'cluster' | 'user' | 'context'>): Promise<KubeConfig> {
  const { KubeConfig } = await import('@kubernetes/client-node/dist/config.js');
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: [conn.cluster], users: [conn.user], contexts: [conn.context], currentContext: conn.context.name });
  return kc;
}

/** What the HTTP layer needs to connect and authenticate as the resolved user. */
export interface HttpsOptions {
  ca?: Buffer | undefined;
  cert?: Buffer | undefined;
  key?: Buffer | undefined;
  rejectUnauthorized?: boolean | undefined;
  servername?: string | undefined;
  headers: Record<string, string>;
}

function fileOrData(file: string | undefined, data: string | undefined, fs: FileAccess, what: string): Buffer | undefined {
  if (data) return Buffer.from(data, 'base64');
  if (!file) return undefined;
  try {
    return Buffer.from(fs.readFile(file), 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${file}: ${firstLine(e)}`);
  }
}

/**
 * TLS material and headers for the resolved connection, as client-go applies them: CA (file or data),
 * insecure-skip-tls-verify, tls-server-name, client certificate and key, bearer token (already read from
 * tokenFile), basic auth, impersonation. Exec credential plugins and auth providers are delegated to
 * client-node, loaded only for such users.
 */
export async function httpsOptions(conn: Pick<ResolvedConnection, 'cluster' | 'user' | 'context'>, fs: FileAccess = realFs): Promise<HttpsOptions> {
  const { cluster, user } = conn;
  const out: HttpsOptions = { headers: {} };
  if (user.exec || user.authProvider) {
    const opts: { headers?: Record<string, unknown>; ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized?: boolean; servername?: string; auth?: string } = {};
    await (await loadKubeConfig(conn)).applyToHTTPSOptions(opts);
    for (const [k, v] of Object.entries(opts.headers ?? {})) if (typeof v === 'string') out.headers[k] = v;
    if (opts.auth) out.headers.Authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    return { ...out, ca: opts.ca, cert: opts.cert, key: opts.key, rejectUnauthorized: opts.rejectUnauthorized, servername: opts.servername };
  }
  if (cluster.skipTLSVerify) out.rejectUnauthorized = false;
  if (cluster.tlsServerName) out.servername = cluster.tlsServerName;
  out.ca = fileOrData(cluster.caFile, cluster.caData, fs, 'certificate-authority');
  out.cert = fileOrData(user.certFile, user.certData, fs, 'client-certificate');
  out.key = fileOrData(user.keyFile, user.keyData, fs, 'client-key');
  if (user.token) out.headers.Authorization = `Bearer ${user.token}`;
  else if (user.username && user.password) out.headers.Authorization = `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
  if (user.impersonateUser) out.headers['Impersonate-User'] = user.impersonateUser;
  return out;
}
