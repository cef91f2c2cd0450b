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
// The connection flags (--context, --cluster, --user, -n, --server, --token, --certificate-authority,
// --client-certificate, --client-key, --tls-server-name, --insecure-skip-tls-verify, --as, --as-group,
// --as-uid, --username, --password) override as in clientcmd's DirectClientConfig.
// We merge ourselves because client-node's loadFromDefault does not match kubectl: it throws on a name
// defined in two files and takes current-context from the last file. Credentials are applied here too
// (exec plugins in exec-credential.ts, proxies in proxy.ts): client-node runs exec plugins without a
// terminal or KUBERNETES_EXEC_INFO, ignores HTTPS_PROXY/NO_PROXY, and runs the removed gcp/azure auth
// providers' cmd-path through a shell.

import { existsSync, readFileSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseDuration } from '../util/duration.ts';
import { RuntimeError, UsageError } from '../errors.ts';
import { realExecContext, runExecPlugin, validateExecConfig, type ExecClusterInfo, type ExecConfig, type ExecContext } from './exec-credential.ts';
import { chooseProxy, loadProxySupport, type ProxyChoice } from './proxy.ts';

export interface ConnectionFlags {
  kubeconfig?: string | undefined;
  context?: string | undefined;
  cluster?: string | undefined;
  user?: string | undefined;
  namespace?: string | undefined;
  /** --server: replaces the cluster's server (and its tls-server-name, as kubectl does). */
  server?: string | undefined;
  /** --token: replaces the user's token (as kubectl: a tokenFile of the user still wins; no exec plugin runs then). */
  token?: string | undefined;
  /** --insecure-skip-tls-verify: also drops the cluster's certificate authority, as kubectl does. */
  insecureSkipTlsVerify?: boolean | undefined;
  /** --certificate-authority FILE: replaces the cluster's CA (file and data) and its insecure-skip-tls-verify. */
  certificateAuthority?: string | undefined;
  /** --tls-server-name */
  tlsServerName?: string | undefined;
  /** --client-certificate / --client-key FILE: replace the user's files (kubectl refuses them when the kubeconfig user has client-*-data). */
  clientCertificate?: string | undefined;
  clientKey?: string | undefined;
  /** --username / --password: replace the user's basic-auth fields one by one. */
  username?: string | undefined;
  password?: string | undefined;
  /** --as, --as-group (repeatable; replaces the user's as-groups), --as-uid: impersonation. */
  as?: string | undefined;
  asGroups?: string[] | undefined;
  asUid?: string | undefined;
  /** --request-timeout: kubectl duration syntax ("0" = none). */
  requestTimeout?: string | undefined;
}

/** The resolved cluster (kubeconfig field names in camelCase). */
interface ClusterInfo {
  name: string;
  server: string;
  skipTLSVerify: boolean;
  caFile?: string | undefined;
  caData?: string | undefined;
  tlsServerName?: string | undefined;
  proxyUrl?: string | undefined;
  disableCompression?: boolean | undefined;
  /** extensions[name=client.authentication.k8s.io/exec].extension, for exec plugins with provideClusterInfo */
  execExtension?: unknown;
}

/** The resolved user; credentials that kubectl would not use are already dropped. */
interface UserInfo {
  name: string;
  token?: string | undefined;
  certFile?: string | undefined;
  certData?: string | undefined;
  keyFile?: string | undefined;
  keyData?: string | undefined;
  username?: string | undefined;
  password?: string | undefined;
  exec?: ExecConfig | undefined;
  /** only oidc is left here (gcp and azure are refused, others unknown) */
  oidc?: { idToken: string } | undefined;
  impersonateUser?: string | undefined;
  impersonateGroups?: string[] | undefined;
  impersonateUid?: string | undefined;
  impersonateExtra?: Record<string, string[]> | undefined;
}

interface ContextInfo {
  name: string;
  cluster: string;
  user: string;
  namespace: string;
}

export interface ResolvedConnection {
  /** Holds exactly the resolved cluster, user and context, the context being current. */
  cluster: ClusterInfo;
  user: UserInfo;
  context: ContextInfo;
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
  /** The proxy to the server (proxy-url, else HTTPS_PROXY/HTTP_PROXY unless NO_PROXY); undefined = direct. */
  proxy: ProxyChoice | undefined;
  /** One-line warnings for stderr (credentials not sent over http://, a server without scheme, ...). */
  warnings: string[];
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
export function readConfig(file: string, fs: FileAccess = realFs): LoadedConfig {
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
export function kubeconfigFiles(flags: ConnectionFlags, env: NodeJS.ProcessEnv, fs: FileAccess = realFs): string[] {
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
export function mergeConfigs(configs: readonly LoadedConfig[]): MergedConfig {
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
  const server = flags.server ? completeServer(flags.server, 'inCluster').server : `https://${isIPv6(host) ? `[${host}]` : host}:${env.KUBERNETES_SERVICE_PORT}`;
  let token = flags.token;
  if (token === undefined) {
    try {
      token = fs.readFile(`${SERVICE_ACCOUNT_DIR}/token`).trim();
    } catch (e) {
      throw new UsageError(`in-cluster config: cannot read the service account token ${SERVICE_ACCOUNT_DIR}/token: ${firstLine(e)}`);
    }
  }
  // clientcmd inClusterClientConfig: --server, --token and --certificate-authority apply in a pod too
  const caFile = flags.certificateAuthority ?? `${SERVICE_ACCOUNT_DIR}/ca.crt`;
  const insecure = flags.insecureSkipTlsVerify === true;
  const cluster: ClusterInfo = { name: 'inCluster', server, skipTLSVerify: insecure, caFile: !insecure && (flags.certificateAuthority || fs.exists(caFile)) ? caFile : undefined };
  const user: UserInfo = { name: 'inClusterUser', token };
  const namespace = flags.namespace ?? inClusterNamespace(env, fs);
  const context: ContextInfo = { name: 'inClusterContext', cluster: cluster.name, user: user.name, namespace };
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
    proxy: chooseProxy(new URL(server), undefined, cluster.name, env),
    warnings: [],
  };
}

// ---- kubeconfig entries -> resolved cluster and user

/**
 * rest.DefaultServerURL as kubectl reaches it: a server without a scheme gets http://, even when the
 * cluster has a CA or insecure-skip-tls-verify, because clientcmd asks IsConfigTransportTLS before it
 * merges those settings in (checked against kubectl 1.32: `server: 10.0.0.1:6443` with a CA is
 * dialled as http://10.0.0.1:6443). A bare IPv6 address is bracketed (kubectl would dial "::1" and fail).
 */
function completeServer(raw: string, clusterName: string): { server: string; completed: boolean } {
  const trimmed = raw.trim().replace(/\/+$/, '');
  const shown = trimmed.replace(/\/\/[^@/]*@/, '//'); // never print a password in the URL
  let u: URL | undefined;
  try {
    u = new URL(trimmed);
  } catch {
    /* no scheme (host:port, an IP, a bare name): completed below */
  }
  let completed = false;
  if (!u || u.host === '') {
    completed = true;
    try {
      if (trimmed.includes('://')) throw new Error('not a URL');
      u = new URL(`http://${isIPv6(trimmed) ? `[${trimmed}]` : trimmed}`);
    } catch {
      throw new UsageError(`cluster "${clusterName}": server "${shown}" is neither a URL nor host:port; write it as https://HOST:PORT`);
    }
  }
  if (completed && u.pathname !== '/') {
    throw new UsageError(`cluster "${clusterName}": server "${shown}" has no scheme but a path, which kubectl refuses too (host must be a URL or a host:port pair): write it as https://HOST:PORT/PATH`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new UsageError(`cluster "${clusterName}": server "${shown}" must be an https:// (or http://) URL`);
  if (u.username || u.password) throw new UsageError(`cluster "${clusterName}": the server URL must not hold a user name or password; put credentials in the kubeconfig user`);
  return { server: completed ? u.href.replace(/\/+$/, '') : trimmed, completed };
}

function toCluster(name: string, raw: Obj, where: string, flags: ConnectionFlags): ClusterInfo {
  const c = { ...raw };
  if (flags.server !== undefined) c.server = flags.server;
  // clientcmd getCluster: --tls-server-name, or --server (which then clears the kubeconfig's value)
  if (flags.tlsServerName !== undefined || flags.server !== undefined) c['tls-server-name'] = flags.tlsServerName;
  // --insecure-skip-tls-verify or --certificate-authority replace all three TLS-trust fields at once
  if (flags.insecureSkipTlsVerify === true || flags.certificateAuthority !== undefined) {
    c['insecure-skip-tls-verify'] = flags.insecureSkipTlsVerify === true;
    c['certificate-authority'] = flags.certificateAuthority;
    delete c['certificate-authority-data'];
  }
  const rawServer = str(c.server);
  if (rawServer.trim() === '') throw new UsageError(`cluster "${name}" in ${where} has no server: set clusters[].cluster.server or pass --server URL`);
  const { server } = completeServer(rawServer, name);
  const insecure = c['insecure-skip-tls-verify'] === true;
  const caFile = nonEmpty(str(c['certificate-authority']));
  const caData = nonEmpty(str(c['certificate-authority-data']));
  if (insecure && (caFile || caData)) {
    throw new UsageError(`cluster "${name}" in ${where} sets both insecure-skip-tls-verify and a certificate authority, which kubectl refuses too: remove one of them`);
  }
  const ext = Array.isArray(c.extensions) ? (c.extensions as unknown[]).find((e) => isObj(e) && e.name === 'client.authentication.k8s.io/exec') : undefined;
  return {
    name,
    server,
    skipTLSVerify: insecure,
    caFile,
    caData,
    tlsServerName: nonEmpty(str(c['tls-server-name'])),
    proxyUrl: nonEmpty(str(c['proxy-url'])),
    disableCompression: c['disable-compression'] === true ? true : undefined,
    execExtension: isObj(ext) ? ext.extension : undefined,
  };
}

const GCP_REMOVED =
  'The gcp auth plugin has been removed. Please use the "gke-gcloud-auth-plugin" kubectl/client-go credential plugin instead. See https://cloud.google.com/blog/products/containers-kubernetes/kubectl-auth-changes-in-gke for further details';
const AZURE_REMOVED =
  'The azure auth plugin has been removed. Please use the https://github.com/Azure/kubelogin kubectl/client-go credential plugin instead. See https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins for further details';

/** exp (seconds) of a JWT, or undefined when the token is not a JWT with a numeric exp. */
function jwtExpiry(token: string): number | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return isObj(claims) && typeof claims.exp === 'number' ? claims.exp : undefined;
  } catch {
    return undefined;
  }
}

/**
 * auth-provider, as client-go 1.26+ has them: gcp and azure are stubs that refuse with the text
 * kubectl prints (we never run their cmd-path); oidc sends a valid id-token (refreshing it is not
 * implemented: kubectl refreshes and writes the new token back, so running kubectl once helps);
 * any other name is kubectl's "no Auth Provider found".
 */
function authProvider(ap: Obj, name: string, where: string, nowMs: number): { idToken: string } {
  const provider = ap.name;
  if (provider === 'gcp') throw new UsageError(`user "${name}" in ${where}: ${GCP_REMOVED}`);
  if (provider === 'azure') throw new UsageError(`user "${name}" in ${where}: ${AZURE_REMOVED}`);
  if (provider !== 'oidc') throw new UsageError(`user "${name}" in ${where}: no Auth Provider found for name ${JSON.stringify(provider ?? '')}; use an exec credential plugin instead`);
  const cfg = isObj(ap.config) ? ap.config : {};
  for (const [k, v] of Object.entries(cfg)) {
    if (typeof v !== 'string') throw new UsageError(`user "${name}" in ${where}: auth-provider oidc config "${k}" must be a string (quote it)`);
  }
  if (!cfg['idp-issuer-url']) throw new UsageError(`user "${name}" in ${where}: auth-provider oidc: Must provide idp-issuer-url`);
  if (!cfg['client-id']) throw new UsageError(`user "${name}" in ${where}: auth-provider oidc: Must provide client-id`);
  const idToken = str(cfg['id-token']);
  const exp = idToken ? jwtExpiry(idToken) : undefined;
  if (!idToken || exp === undefined || exp * 1000 <= nowMs) {
    const why = cfg['refresh-token'] ? 'refreshing it is not supported by ds-inspect: run any kubectl command once (kubectl refreshes it into the kubeconfig), then retry' : 'and cannot refresh without refresh-token';
    throw new RuntimeError(`user "${name}": no valid oidc id-token (missing, not a JWT or expired), ${why}`);
  }
  return { idToken };
}

function stringList(v: unknown, what: string, name: string, where: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new UsageError(`user "${name}" in ${where}: ${what} must be a list of strings`);
  return v.length > 0 ? v : undefined;
}

interface UserOptions {
  flags: ConnectionFlags;
  fs: FileAccess;
  /** the server is https://: kubectl uses the user's credentials only then */
  secure: boolean;
  server: string;
  nowMs: number;
  warnings: string[];
}

function toUser(name: string, raw: Obj, where: string, o: UserOptions): UserInfo {
  const { flags, fs } = o;
  const u = { ...raw };
  // clientcmd merges the flags over the user field by field (mergo WithOverride): a flag replaces its
  // own field only. Checked against kubectl 1.32: a tokenFile still wins over --token, and
  // --client-certificate/--client-key with client-*-data in the kubeconfig is refused.
  const overlay: [keyof ConnectionFlags, string][] = [
    ['token', 'token'],
    ['clientCertificate', 'client-certificate'],
    ['clientKey', 'client-key'],
    ['username', 'username'],
    ['password', 'password'],
    ['as', 'as'],
    ['asUid', 'as-uid'],
  ];
  for (const [flag, field] of overlay) if (flags[flag] !== undefined) u[field] = flags[flag];
  if (flags.asGroups !== undefined && flags.asGroups.length > 0) u['as-groups'] = flags.asGroups;

  let token = nonEmpty(str(u.token));
  if (u.token !== undefined && u.token !== null && typeof u.token !== 'string') throw new UsageError(`user "${name}" in ${where}: token must be a string (quote it)`);
  const tokenFile = nonEmpty(str(u.tokenFile));
  const certFile = nonEmpty(str(u['client-certificate']));
  const certData = nonEmpty(str(u['client-certificate-data']));
  const keyFile = nonEmpty(str(u['client-key']));
  const keyData = nonEmpty(str(u['client-key-data']));
  const username = nonEmpty(str(u.username));
  const password = nonEmpty(str(u.password));
  const execRaw = isObj(u.exec) ? u.exec : undefined;
  const apRaw = isObj(u['auth-provider']) ? u['auth-provider'] : undefined;

  // clientcmd validateAuthInfo (runs whatever the server's scheme)
  if (token && (username || password)) throw new UsageError(`user "${name}" in ${where} has both a token and basic auth (username/password), which kubectl refuses too ("more than one authentication method"): keep one`);
  if (certFile && certData) throw new UsageError(`user "${name}" in ${where} has both client-certificate-data and client-certificate (from the kubeconfig or --client-certificate), which kubectl refuses too: keep one`);
  if (keyFile && keyData) throw new UsageError(`user "${name}" in ${where} has both client-key-data and client-key (from the kubeconfig or --client-key), which kubectl refuses too: keep one`);
  if ((certFile || certData) && !keyFile && !keyData) throw new UsageError(`user "${name}" in ${where}: client-key-data or client-key must be specified to use the client certificate`);
  if ((keyFile || keyData) && !certFile && !certData) throw new UsageError(`user "${name}" in ${where}: client-certificate-data or client-certificate must be specified to use the client key`);
  if (execRaw && apRaw) throw new UsageError(`user "${name}" in ${where} sets both exec and auth-provider, which kubectl refuses too: keep one`);
  let exec = execRaw ? validateExecConfig(execRaw, name, where) : undefined;

  const impersonateUser = nonEmpty(str(u.as));
  const impersonateGroups = stringList(u['as-groups'], 'as-groups', name, where);
  const impersonateUid = nonEmpty(str(u['as-uid']));
  let impersonateExtra: Record<string, string[]> | undefined;
  if (isObj(u['as-user-extra'])) {
    impersonateExtra = {};
    for (const [k, v] of Object.entries(u['as-user-extra'])) impersonateExtra[k] = stringList(v, `as-user-extra.${k}`, name, where) ?? [];
    if (Object.keys(impersonateExtra).length === 0) impersonateExtra = undefined;
  }
  if (!impersonateUser && (impersonateGroups || impersonateUid || impersonateExtra)) {
    throw new UsageError(`user "${name}": impersonation groups, uid or user-extra need a user to impersonate, as in kubectl: pass --as USER (or set "as" in the kubeconfig user)`);
  }
  const impersonation = { impersonateUser, impersonateGroups, impersonateUid, impersonateExtra };

  if (!o.secure) {
    // clientcmd only reads the user's credentials when the server is https:// (IsConfigTransportTLS).
    const kinds = [token || tokenFile ? 'token' : '', username || password ? 'basic auth' : '', certFile || certData ? 'client certificate' : '', exec ? 'exec plugin' : '', apRaw ? 'auth-provider' : ''].filter(Boolean);
    if (kinds.length > 0) o.warnings.push(`not sending the ${kinds.join(', ')} of user "${name}" to ${o.server}: kubectl sends no credentials over plain http either; use an https:// server`);
    return { name, ...impersonation };
  }

  const oidc = apRaw ? authProvider(apRaw, name, where, o.nowMs) : undefined;
  if (tokenFile) {
    // client-go prefers the file's (trimmed) content and falls back to a static token.
    try {
      token = fs.readFile(tokenFile).trim();
    } catch (e) {
      if (!token) throw new UsageError(`user "${name}" in ${where}: cannot read tokenFile ${tokenFile}: ${firstLine(e)}`);
    }
  }
  // client-go runs no exec plugin when a token, basic auth or a client certificate is already there.
  if (exec && (token || (username && password) || ((certFile || certData) && (keyFile || keyData)))) exec = undefined;
  return { name, token, certFile, certData, keyFile, keyData, username, password, exec, oidc, ...impersonation };
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
    certificateAuthority: nonEmpty(rawFlags.certificateAuthority),
    tlsServerName: nonEmpty(rawFlags.tlsServerName),
    clientCertificate: nonEmpty(rawFlags.clientCertificate),
    clientKey: nonEmpty(rawFlags.clientKey),
    username: nonEmpty(rawFlags.username),
    password: nonEmpty(rawFlags.password),
    as: nonEmpty(rawFlags.as),
    asGroups: rawFlags.asGroups?.filter((g) => g !== ''),
    asUid: nonEmpty(rawFlags.asUid),
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

  const clusterWhere = clusterEntry ? `kubeconfig ${clusterEntry.file}` : where;
  const cluster = toCluster(clusterName || 'cluster', clusterEntry?.body ?? {}, clusterWhere, flags);
  const warnings: string[] = [];
  const rawServer = flags.server ?? str(clusterEntry?.body.server);
  if (completeServer(rawServer, cluster.name).completed) {
    warnings.push(`the server "${rawServer.trim()}" of cluster "${cluster.name}" has no scheme: connecting to ${cluster.server} as kubectl does; write https:// in the kubeconfig if the server speaks TLS`);
  }
  const secure = cluster.server.startsWith('https:');
  const user = toUser(userName || 'anonymous', userEntry?.body ?? {}, userEntry ? `kubeconfig ${userEntry.file}` : where, { flags, fs, secure, server: cluster.server, nowMs: Date.now(), warnings });
  const ctxNamespace = str(ctx.namespace);
  // kubectl (DeferredLoadingClientConfig.Namespace): a context without a namespace, inside a pod,
  // gets the pod's namespace.
  const namespace = flags.namespace ?? (ctxNamespace || (icPossible ? inClusterNamespace(env, fs) : 'default'));
  const context: ContextInfo = { name: contextName || 'ds-inspect', cluster: cluster.name, user: user.name, namespace };
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
    proxy: chooseProxy(new URL(cluster.server), cluster.proxyUrl, cluster.name, env),
    warnings,
  };
}

/** What the HTTP layer needs to connect and authenticate as the resolved user. */
export interface HttpsOptions {
  ca?: Buffer | undefined;
  cert?: Buffer | undefined;
  key?: Buffer | undefined;
  rejectUnauthorized?: boolean | undefined;
  servername?: string | undefined;
  headers: Record<string, string | string[]>;
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

/** spec.cluster for an exec plugin with provideClusterInfo (client-go ConfigToExecCluster). */
function execCluster(cluster: ClusterInfo, ca: Buffer | undefined): ExecClusterInfo {
  const out: ExecClusterInfo = { server: cluster.server };
  if (cluster.tlsServerName) out['tls-server-name'] = cluster.tlsServerName;
  if (cluster.skipTLSVerify) out['insecure-skip-tls-verify'] = true;
  if (ca) out['certificate-authority-data'] = ca.toString('base64');
  if (cluster.proxyUrl) out['proxy-url'] = cluster.proxyUrl;
  if (cluster.disableCompression) out['disable-compression'] = true;
  if (cluster.execExtension !== undefined) out.config = cluster.execExtension;
  return out;
}

/** Impersonate-* headers (client-go transport NewImpersonatingRoundTripper). */
function impersonationHeaders(user: UserInfo, headers: Record<string, string | string[]>): void {
  if (!user.impersonateUser) return;
  headers['Impersonate-User'] = user.impersonateUser;
  if (user.impersonateUid) headers['Impersonate-Uid'] = user.impersonateUid;
  if (user.impersonateGroups) headers['Impersonate-Group'] = user.impersonateGroups;
  for (const [k, v] of Object.entries(user.impersonateExtra ?? {})) if (v.length > 0) headers[`Impersonate-Extra-${encodeURIComponent(k)}`] = v;
}

/**
 * TLS material and headers for the resolved connection, as client-go applies them: CA (file or data),
 * insecure-skip-tls-verify, tls-server-name, client certificate and key, bearer token (already read
 * from tokenFile), basic auth, an oidc id-token, impersonation, and an exec plugin's token and/or
 * client certificate when no other credential is there. `exec` says where the plugin's stdin and
 * stderr go (the process's own by default) and which environment it gets. Also loads the proxy
 * support the connection's proxy needs (io/proxy.ts loadProxySupport).
 */
export async function httpsOptions(conn: Pick<ResolvedConnection, 'cluster' | 'user'> & { proxy?: ProxyChoice | undefined }, fs: FileAccess = realFs, exec: Partial<ExecContext> = {}): Promise<HttpsOptions> {
  const { cluster, user } = conn;
  const out: HttpsOptions = { headers: {} };
  await loadProxySupport(conn.proxy);
  if (cluster.skipTLSVerify) out.rejectUnauthorized = false;
  if (cluster.tlsServerName) out.servername = cluster.tlsServerName;
  out.ca = fileOrData(cluster.caFile, cluster.caData, fs, 'certificate-authority');
  out.cert = fileOrData(user.certFile, user.certData, fs, 'client-certificate');
  out.key = fileOrData(user.keyFile, user.keyData, fs, 'client-key');
  if (user.token) out.headers.Authorization = `Bearer ${user.token}`;
  else if (user.username && user.password) out.headers.Authorization = `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
  else if (user.oidc) out.headers.Authorization = `Bearer ${user.oidc.idToken}`;
  if (user.exec) {
    const given = Object.fromEntries(Object.entries(exec).filter(([, v]) => v !== undefined)) as Partial<ExecContext>;
    const ctx: ExecContext = { ...realExecContext(exec.env ?? process.env), ...given };
    const cred = await runExecPlugin(user.exec, execCluster(cluster, out.ca), ctx);
    if (cred.token) out.headers.Authorization = `Bearer ${cred.token}`;
    if (cred.cert && cred.key) {
      out.cert = Buffer.from(cred.cert);
      out.key = Buffer.from(cred.key);
    }
  }
  impersonationHeaders(user, out.headers);
  return out;
}
