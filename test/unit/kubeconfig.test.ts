// Kubeconfig resolution, checked for parity against kubectl itself (kubectl is on PATH in CI).
//
// Two probes ask kubectl what it resolved for the same files, environment and flags:
//  - `kubectl config view --minify -o json`: context, cluster, user, server and namespace of the
//    context. It honours --kubeconfig and --context but NOT --cluster/--user/-n/--server, so it is only
//    used for layouts without those overrides;
//  - `kubectl get pods` against a recording HTTP server (a stand-in, not an API server: it answers
//    discovery and an empty PodList). Every cluster's server is that server with its own path prefix,
//    and every user carries `as: <id>` (impersonation), which kubectl sends as Impersonate-User even
//    over plain http. The request kubectl makes thus shows the server (prefix), the namespace (path)
//    and the user (header) it really resolved, overrides included.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { UsageError } from '../../src/errors.ts';
import { httpsOptions, resolveConnection, SERVICE_ACCOUNT_DIR, type ConnectionFlags, type FileAccess, type ResolvedConnection } from '../../src/io/kubeconfig.ts';

const execFileAsync = promisify(execFile);
const SECRET = 'sekr1t-token-do-not-print';

let tmp = '';
let server: http.Server;
let base = '';
const requests: { tag: string; namespace: string; impersonate: string; auth: string }[] = [];

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'ds-inspect-kubeconfig-'));
  server = http.createServer((req, res) => {
    // a server without a path prefix (tag "") asks for /api, /apis, /version directly
    const url = req.url ?? '';
    const m: string[] | null = /^\/(api|apis|version)(\/|\?|$)/.test(url) ? [url, '', url] : /^\/([^/?]+)(\/.*)$/.exec(url);
    const rest = m?.[2] ?? '';
    let body: unknown;
    // (a kubectl build that dispatches on the server version asks /version first, even for `config view`)
    if (/^\/version(\?|$)/.test(rest)) body = { major: '1', minor: '32', gitVersion: 'v1.32.4', platform: 'linux/amd64' };
    else if (/^\/api(\?|$)/.test(rest)) body = { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] };
    else if (/^\/apis(\?|$)/.test(rest)) body = { kind: 'APIGroupList', apiVersion: 'v1', groups: [] };
    else if (/^\/api\/v1(\?|$)/.test(rest)) body = { kind: 'APIResourceList', groupVersion: 'v1', resources: [{ name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list'] }] };
    else {
      const p = /^\/api\/v1\/namespaces\/([^/]+)\/pods/.exec(rest);
      if (m && p) requests.push({ tag: m[1] ?? '', namespace: p[1]!, impersonate: String(req.headers['impersonate-user'] ?? ''), auth: req.headers.authorization ?? '' });
      body = { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: [] };
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.closeAllConnections();
  server.close();
  if (parity.length > 0) {
    const rows = parity.map((r) => `  ${r.layout.padEnd(34)} ${r.probe.padEnd(8)} ${r.ours.padEnd(46)} ${r.kubectl.padEnd(46)} ${r.ours === r.kubectl ? 'equal' : 'DIFFERENT'}`);
    console.log(['parity (server | user | namespace):', `  ${'layout'.padEnd(34)} ${'probe'.padEnd(8)} ${'ours'.padEnd(46)} ${'kubectl'.padEnd(46)}`, ...rows].join('\n'));
  }
  rmSync(tmp, { recursive: true, force: true });
});

// ---- fixtures

// Fixtures are built before the server listens: '__SERVER__' is replaced by its URL when files are written.
const srv = (tag: string): string => `__SERVER__/${tag}`;
const cluster = (name: string, tag: string, extra: Record<string, unknown> = {}) => ({ name, cluster: { server: srv(tag), ...extra } });
/** `id` goes into `as:` so the request probe can tell which user entry kubectl picked. */
const user = (name: string, id: string, extra: Record<string, unknown> = { token: SECRET }) => ({ name, user: { as: id, ...extra } });
const context = (name: string, clusterName: string, userName: string, namespace?: string) => ({
  name,
  context: { cluster: clusterName, user: userName, ...(namespace ? { namespace } : {}) },
});
function config(parts: { clusters?: unknown[]; users?: unknown[]; contexts?: unknown[]; current?: string }): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    ...(parts.current ? { 'current-context': parts.current } : {}),
    clusters: parts.clusters ?? [],
    users: parts.users ?? [],
    contexts: parts.contexts ?? [],
  };
}

/** Writes files (objects as YAML, strings verbatim) under a fresh directory; returns it. */
function writeLayout(name: string, files: Record<string, unknown>): string {
  const dir = join(tmp, name);
  for (const [rel, content] of Object.entries(files)) {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, (typeof content === 'string' ? content : stringify(content)).replaceAll('__SERVER__', base).replaceAll('__HOSTPORT__', base.replace(/^http:\/\//, '')));
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

interface Env {
  dir: string;
  /** KUBECONFIG entries relative to dir ('' stays empty); undefined = unset. */
  kubeconfig?: string[];
  flags?: ConnectionFlags;
}

function envOf(e: Env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { HOME: e.dir, PATH: process.env.PATH };
  if (e.kubeconfig) env.KUBECONFIG = e.kubeconfig.map((p) => (p === '' ? '' : join(e.dir, p))).join(':');
  return env;
}

function kubectlFlags(f: ConnectionFlags = {}, only?: readonly (keyof ConnectionFlags)[]): string[] {
  const out: string[] = [];
  const want = (k: keyof ConnectionFlags) => f[k] !== undefined && (!only || only.includes(k));
  if (want('kubeconfig')) out.push('--kubeconfig', f.kubeconfig!);
  if (want('context')) out.push('--context', f.context!);
  if (want('cluster')) out.push('--cluster', f.cluster!);
  if (want('user')) out.push('--user', f.user!);
  if (want('namespace')) out.push('--namespace', f.namespace!);
  if (want('server')) out.push('--server', f.server!);
  return out;
}

function ours(e: Env): ResolvedConnection {
  const flags = { ...e.flags, ...(e.flags?.kubeconfig ? { kubeconfig: join(e.dir, e.flags.kubeconfig) } : {}) };
  return resolveConnection(flags, envOf(e));
}

interface Minified {
  contextName: string;
  clusterName: string;
  userName: string;
  server: string;
  namespace: string;
  caData?: string;
}

/** `kubectl config view --minify -o json`, run from the temp root so relative paths cannot resolve by accident. */
async function kubectlView(e: Env, extra: string[] = []): Promise<Minified> {
  const flags = { ...e.flags, ...(e.flags?.kubeconfig ? { kubeconfig: join(e.dir, e.flags.kubeconfig) } : {}) };
  // async: the recording server runs in this process and must be able to answer meanwhile
  const { stdout: out } = await execFileAsync('kubectl', ['config', 'view', '--minify', '-o', 'json', ...extra, ...kubectlFlags(flags, ['kubeconfig', 'context'])], {
    env: envOf(e),
    cwd: tmp,
    encoding: 'utf8',
  });
  const cfg = JSON.parse(out) as {
    'current-context': string;
    contexts: { name: string; context: { cluster: string; user: string; namespace?: string } }[];
    clusters: { name: string; cluster: { server: string; 'certificate-authority-data'?: string } }[];
  };
  const ctx = cfg.contexts[0]!;
  return {
    contextName: cfg['current-context'],
    clusterName: ctx.context.cluster,
    userName: ctx.context.user,
    server: cfg.clusters[0]!.cluster.server,
    namespace: ctx.context.namespace || 'default',
    caData: cfg.clusters[0]!.cluster['certificate-authority-data'],
  };
}

let cacheRun = 0;
/** `kubectl get pods` against the recording server: what kubectl really connected to. */
async function kubectlRequest(e: Env): Promise<{ server: string; namespace: string; impersonate: string; auth: string }> {
  const flags = { ...e.flags, ...(e.flags?.kubeconfig ? { kubeconfig: join(e.dir, e.flags.kubeconfig) } : {}) };
  const before = requests.length;
  await execFileAsync('kubectl', ['get', 'pods', '--request-timeout', '20s', '--cache-dir', join(tmp, 'cache', String(cacheRun++)), ...kubectlFlags(flags)], {
    env: envOf(e),
    cwd: tmp,
    encoding: 'utf8',
  });
  const got = requests.slice(before);
  assert.equal(got.length, 1, `kubectl made ${got.length} pod list requests`);
  return { server: got[0]!.tag ? `${base}/${got[0]!.tag}` : base, namespace: got[0]!.namespace, impersonate: got[0]!.impersonate, auth: got[0]!.auth };
}

/** Does kubectl fail with these files and flags? (`get` for runtime resolution, `view` for --minify.) */
async function kubectlFails(e: Env, how: 'get' | 'view'): Promise<string | undefined> {
  const flags = { ...e.flags, ...(e.flags?.kubeconfig ? { kubeconfig: join(e.dir, e.flags.kubeconfig) } : {}) };
  const args =
    how === 'get'
      ? ['get', 'pods', '--request-timeout', '5s', '--cache-dir', join(tmp, 'cache', String(cacheRun++)), ...kubectlFlags(flags)]
      : ['config', 'view', '--minify', '-o', 'json', ...kubectlFlags(flags, ['kubeconfig', 'context'])];
  try {
    await execFileAsync('kubectl', args, { env: envOf(e), cwd: tmp, encoding: 'utf8' });
    return undefined;
  } catch (err) {
    return ((err as { stderr?: string }).stderr ?? String(err)).trim().split('\n').pop();
  }
}

const parity: { layout: string; probe: string; ours: string; kubectl: string }[] = [];
const row = (server: string, userOrId: string, ns: string) => `${server.replace(base, '')} | ${userOrId} | ${ns}`;

interface Layout {
  name: string;
  files: Record<string, unknown>;
  kubeconfig?: string[];
  flags?: ConnectionFlags;
  /** compare with `kubectl config view --minify` (only without --cluster/--user/-n/--server) */
  view: boolean;
  /** compare with the request `kubectl get pods` makes */
  request: boolean;
  check?: (c: ResolvedConnection, dir: string, e: Env) => void | Promise<void>;
}

const A = config({
  current: 'ctx-a',
  clusters: [cluster('ca', 'a-ca'), cluster('cb', 'a-cb')],
  users: [user('ua', 'id-ua'), user('ub', 'id-ub')],
  contexts: [context('ctx-a', 'ca', 'ua', 'ns-a'), context('ctx-b', 'cb', 'ub', 'ns-b')],
});
const B = config({
  current: 'ctx-b2',
  clusters: [cluster('cb2', 'b-cb2'), cluster('ca', 'b-ca', { 'insecure-skip-tls-verify': true })],
  users: [user('ub2', 'id-ub2'), user('ua', 'id-ua-from-b')],
  contexts: [context('ctx-b2', 'cb2', 'ub2', 'ns-b2'), context('ctx-a', 'cb2', 'ub2')],
});

const layouts: Layout[] = [
  { name: 'single file', files: { 'a.yaml': A }, kubeconfig: ['a.yaml'], view: true, request: true },
  {
    name: 'two files, both set current-context',
    files: { 'a.yaml': A, 'b.yaml': B },
    kubeconfig: ['a.yaml', 'b.yaml'],
    view: true,
    request: true,
    check: (c) => assert.deepEqual(c.files.map((f) => f.split('/').pop()), ['a.yaml', 'b.yaml']),
  },
  {
    name: 'same names, different content',
    files: {
      'a.yaml': config({ clusters: [cluster('shared', 'a-shared')], users: [user('u', 'id-u-from-a')] }),
      'b.yaml': config({
        current: 'ctx',
        clusters: [cluster('shared', 'b-shared', { 'insecure-skip-tls-verify': true })],
        users: [user('u', 'id-u-from-b')],
        contexts: [context('ctx', 'shared', 'u', 'ns-shared')],
      }),
    },
    kubeconfig: ['a.yaml', 'b.yaml'],
    view: true,
    request: true,
    // whole entries win, not fields: b's insecure-skip-tls-verify does not leak into a's cluster
    check: (c) => assert.equal(c.cluster?.skipTLSVerify, false),
  },
  {
    name: 'context only in the second file',
    files: { 'a.yaml': config({ clusters: [cluster('ca', 'a-ca')], users: [user('ua', 'id-ua')] }), 'b.yaml': config({ current: 'only-b', contexts: [context('only-b', 'ca', 'ua', 'ns-only-b')] }) },
    kubeconfig: ['a.yaml', 'b.yaml'],
    view: true,
    request: true,
  },
  {
    name: '--context picks a context of file 2',
    files: { 'a.yaml': A, 'b.yaml': B },
    kubeconfig: ['a.yaml', 'b.yaml'],
    flags: { context: 'ctx-b2' },
    view: true,
    request: true,
  },
  {
    name: 'KUBECONFIG: missing file, empty entries, dup',
    files: { 'a.yaml': A, 'b.yaml': B },
    kubeconfig: ['', 'missing.yaml', '', 'b.yaml', 'a.yaml', 'b.yaml', ''],
    view: true,
    request: true,
    check: (c) => assert.deepEqual(c.files.map((f) => f.split('/').pop()), ['b.yaml', 'a.yaml']),
  },
  {
    name: '--kubeconfig with KUBECONFIG also set',
    files: { 'a.yaml': A, 'b.yaml': B },
    kubeconfig: ['a.yaml'],
    flags: { kubeconfig: 'b.yaml' },
    view: true,
    request: true,
  },
  {
    name: '--context --cluster --user -n',
    files: { 'a.yaml': A, 'b.yaml': B },
    kubeconfig: ['a.yaml', 'b.yaml'],
    flags: { context: 'ctx-b', cluster: 'cb2', user: 'ua', namespace: 'ns-flag' },
    view: false,
    request: true,
    check: (c) => {
      assert.equal(c.contextName, 'ctx-b');
      assert.equal(c.clusterName, 'cb2');
      assert.equal(c.userName, 'ua');
      assert.equal(c.namespaceExplicit, true);
    },
  },
  { name: '-n over the context namespace', files: { 'a.yaml': A }, kubeconfig: ['a.yaml'], flags: { namespace: 'ns-flag' }, view: false, request: true },
  { name: '--user from the other file', files: { 'a.yaml': A, 'b.yaml': B }, kubeconfig: ['b.yaml', 'a.yaml'], flags: { user: 'ub' }, view: false, request: true },
  {
    name: '--server over the cluster server',
    files: { 'a.yaml': A },
    kubeconfig: ['a.yaml'],
    flags: { server: '__SERVER__/flag-server' },
    view: false,
    request: true,
  },
  {
    name: 'context without namespace',
    files: { 'a.yaml': config({ current: 'plain', clusters: [cluster('c', 'plain')], users: [user('u', 'id-u')], contexts: [context('plain', 'c', 'u')] }) },
    kubeconfig: ['a.yaml'],
    view: true,
    request: true,
    check: (c) => assert.equal(c.namespaceExplicit, false),
  },
  {
    name: '~/.kube/config when KUBECONFIG unset',
    files: { '.kube/config': A, 'b.yaml': B },
    view: true,
    request: true,
  },
  {
    name: 'exec user, relative command',
    files: {
      'conf/k.yaml': config({
        current: 'e',
        clusters: [cluster('c', 'exec')],
        users: [user('exec-user', 'id-exec', { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: './bin/cred.sh', args: ['--x'], interactiveMode: 'Never' } })],
        contexts: [context('e', 'c', 'exec-user', 'ns-exec')],
      }),
      'conf/bin/cred.sh': `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"from-exec-plugin"}}'\n`,
    },
    kubeconfig: ['conf/k.yaml'],
    view: true,
    request: true,
    check: async (c, dir, e) => {
      // over http:// kubectl (and we) send no credentials, so run the plugin for an https:// server
      assert.equal(c.user.exec, undefined);
      assert.match(c.warnings.join('\n'), /not sending the exec plugin of user "exec-user" to http:/);
      const secure = ours({ ...e, flags: { server: 'https://127.0.0.1:1', insecureSkipTlsVerify: true } });
      assert.equal(secure.user.exec?.command, join(dir, 'conf/bin/cred.sh'));
      const opts = await httpsOptions(secure);
      assert.equal(opts.headers.Authorization, 'Bearer from-exec-plugin');
      assert.equal(opts.headers['Impersonate-User'], 'id-exec');
    },
  },
  {
    name: 'server without scheme (host:port)',
    files: { 'k.yaml': config({ current: 'c', clusters: [{ name: 'c', cluster: { server: '__HOSTPORT__' } }], users: [user('u', 'id-no-scheme')], contexts: [context('c', 'c', 'u', 'ns')] }) },
    kubeconfig: ['k.yaml'],
    view: false,
    request: true,
    check: (c) => {
      assert.match(c.warnings[0] ?? '', /^the server "127\.0\.0\.1:\d+" of cluster "c" has no scheme: connecting to http:\/\/127\.0\.0\.1:\d+ as kubectl does/);
      assert.match(c.warnings[1] ?? '', /^not sending the token of user "u" to http:\/\/127\.0\.0\.1:\d+: kubectl sends no credentials over plain http either; use an https:\/\/ server$/);
      assert.ok(!c.warnings.join('').includes(SECRET));
    },
  },
  {
    // clientcmd decides on TLS before it merges the CA in, so kubectl dials http:// here too
    name: 'server without scheme, with a CA',
    files: { 'k.yaml': config({ current: 'c', clusters: [{ name: 'c', cluster: { server: '__HOSTPORT__', 'certificate-authority-data': Buffer.from('CA').toString('base64') } }], users: [user('u', 'id-no-scheme-ca')], contexts: [context('c', 'c', 'u', 'ns')] }) },
    kubeconfig: ['k.yaml'],
    view: false,
    request: true,
  },
  {
    name: 'exec plugin, auth-provider and basic auth over http: not used, as kubectl',
    files: {
      'k.yaml': config({
        current: 'c',
        clusters: [cluster('c', 'http-creds')],
        users: [
          user('gcp', 'id-gcp', { 'auth-provider': { name: 'gcp', config: { 'cmd-path': '/bin/false' } } }),
          user('basic', 'id-basic', { username: 'u', password: SECRET }),
          user('exec', 'id-exec-http', { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: '/nonexistent/plugin', interactiveMode: 'Never' } }),
        ],
        contexts: [context('c', 'c', 'gcp', 'ns'), context('b', 'c', 'basic', 'ns'), context('e', 'c', 'exec', 'ns')],
      }),
    },
    kubeconfig: ['k.yaml'],
    view: true,
    request: true,
    check: (c, _dir, e) => {
      assert.match(c.warnings.join('\n'), /not sending the auth-provider of user "gcp"/);
      assert.match(ours({ ...e, flags: { context: 'b' } }).warnings.join('\n'), /not sending the basic auth of user "basic"/);
      assert.match(ours({ ...e, flags: { context: 'e' } }).warnings.join('\n'), /not sending the exec plugin of user "exec"/);
    },
  },
];

describe('parity with kubectl', () => {
  for (const l of layouts) {
    test(l.name, async () => {
      const dir = writeLayout(l.name.replace(/[^a-z0-9]+/gi, '-'), l.files);
      chmodSync(dir, 0o755);
      for (const rel of Object.keys(l.files)) if (rel.endsWith('.sh')) chmodSync(join(dir, rel), 0o755);
      const flags = l.flags?.server ? { ...l.flags, server: l.flags.server.replace('__SERVER__', base) } : l.flags;
      const e: Env = { dir, kubeconfig: l.kubeconfig, flags };
      const c = ours(e);
      const cu = c.user;
      assert.equal(c.cluster?.server, c.server);
      assert.equal(c.context.namespace, c.namespace);
      assert.equal(c.inCluster, false);
      if (l.view) {
        const k = await kubectlView(e);
        parity.push({ layout: l.name, probe: 'view', ours: row(c.server, c.userName, c.namespace), kubectl: row(k.server, k.userName, k.namespace) });
        assert.deepEqual(
          { contextName: c.contextName, clusterName: c.clusterName, userName: c.userName, server: c.server, namespace: c.namespace },
          { contextName: k.contextName, clusterName: k.clusterName, userName: k.userName, server: k.server, namespace: k.namespace },
        );
      }
      if (l.request) {
        const k = await kubectlRequest(e);
        parity.push({ layout: l.name, probe: 'request', ours: row(c.server, cu?.impersonateUser ?? '', c.namespace), kubectl: row(k.server, k.impersonate, k.namespace) });
        assert.deepEqual({ server: c.server, namespace: c.namespace, user: cu?.impersonateUser }, { server: k.server, namespace: k.namespace, user: k.impersonate });
        // every server here is http://: kubectl sends no credentials, and we send none either (with a warning)
        const ourHeaders = (await httpsOptions(c)).headers;
        assert.deepEqual([ourHeaders.Authorization, k.auth], [undefined, '']);
      }
      await l.check?.(c, dir, e);
    });
  }

  test('relative certificate-authority resolves against the file that defines it', async () => {
    const dir = writeLayout('relative-ca', {
      'conf/k.yaml': config({
        current: 'c',
        clusters: [{ name: 'tls', cluster: { server: 'https://tls.invalid:6443', 'certificate-authority': 'certs/ca.crt' } }],
        users: [user('u', 'id-u', { 'client-certificate': 'certs/client.crt', 'client-key': '../keys/client.key' })],
        contexts: [context('c', 'tls', 'u', 'ns-tls')],
      }),
      'conf/certs/ca.crt': 'CA-BYTES-FROM-CONF-DIR',
      'conf/certs/client.crt': 'CLIENT-CERT',
      'keys/client.key': 'CLIENT-KEY',
      // a decoy where a cwd-relative resolution would look
      'certs/ca.crt': 'WRONG-CA',
    });
    const e: Env = { dir, kubeconfig: ['conf/k.yaml'] };
    const c = ours(e);
    const cl = c.cluster;
    assert.equal(cl.caFile, join(dir, 'conf/certs/ca.crt'));
    assert.equal(c.user?.certFile, join(dir, 'conf/certs/client.crt'));
    assert.equal(c.user?.keyFile, join(dir, 'keys/client.key'));
    // --flatten makes kubectl read the CA the way its client does (relative to the defining file)
    const k = await kubectlView(e, ['--flatten']);
    assert.equal(Buffer.from(k.caData ?? '', 'base64').toString(), readFileSync(cl.caFile, 'utf8'));
    assert.deepEqual([c.contextName, c.clusterName, c.userName, c.server, c.namespace], [k.contextName, k.clusterName, k.userName, k.server, k.namespace]);
    parity.push({ layout: 'relative certificate-authority', probe: 'flatten', ours: row(c.server, c.userName, c.namespace), kubectl: row(k.server, k.userName, k.namespace) });
  });
});

describe('credentials reach the client library', () => {
  test('client certificate and key files and -data are applied', async () => {
    const dir = writeLayout('client-cert', {
      'k.yaml': config({
        current: 'c',
        clusters: [{ name: 'tls', cluster: { server: 'https://tls.invalid:6443/', 'certificate-authority-data': Buffer.from('CA').toString('base64'), 'tls-server-name': 'api.internal' } }],
        users: [
          { name: 'files', user: { 'client-certificate': 'client.crt', 'client-key': 'client.key' } },
          { name: 'data', user: { 'client-certificate-data': Buffer.from('CERT-DATA').toString('base64'), 'client-key-data': Buffer.from('KEY-DATA').toString('base64') } },
        ],
        contexts: [context('c', 'tls', 'files'), context('d', 'tls', 'data')],
      }),
      'client.crt': 'CERT-FILE',
      'client.key': 'KEY-FILE',
    });
    const c = ours({ dir, kubeconfig: ['k.yaml'] });
    assert.equal(c.server, 'https://tls.invalid:6443');
    const o1: { ca?: Buffer; cert?: Buffer; key?: Buffer; servername?: string } = {};
    Object.assign(o1, await httpsOptions(c));
    assert.deepEqual([o1.ca?.toString(), o1.cert?.toString(), o1.key?.toString(), o1.servername], ['CA', 'CERT-FILE', 'KEY-FILE', 'api.internal']);
    const d = ours({ dir, kubeconfig: ['k.yaml'], flags: { context: 'd' } });
    const o2: { cert?: Buffer; key?: Buffer } = {};
    Object.assign(o2, await httpsOptions(d));
    assert.deepEqual([o2.cert?.toString(), o2.key?.toString()], ['CERT-DATA', 'KEY-DATA']);
  });

  test('tokenFile (relative, trimmed), --token, --insecure-skip-tls-verify, --server, --request-timeout', async () => {
    const dir = writeLayout('token-file', {
      'k.yaml': config({
        current: 'c',
        clusters: [{ name: 'tls', cluster: { server: 'https://tls.invalid:6443', 'certificate-authority': 'ca.crt', 'tls-server-name': 'x' } }],
        users: [{ name: 'tf', user: { tokenFile: 'tok.txt', exec: { apiVersion: 'client.authentication.k8s.io/v1', command: '/nonexistent/plugin', interactiveMode: 'Never' } } }],
        contexts: [context('c', 'tls', 'tf')],
      }),
      'tok.txt': 'token-from-file\n',
      'ca.crt': 'CA',
    });
    const c = ours({ dir, kubeconfig: ['k.yaml'] });
    // a token beats an exec plugin (client-go runs no plugin then), so /nonexistent/plugin never runs
    const o: { headers?: Record<string, unknown> } = {};
    Object.assign(o, await httpsOptions(c));
    assert.equal(o.headers?.Authorization, 'Bearer token-from-file');
    assert.equal(c.requestTimeoutMs, 0);

    const f = ours({ dir, kubeconfig: ['k.yaml'], flags: { token: 'flag-token', insecureSkipTlsVerify: true, server: 'https://other:443', requestTimeout: '1m30s' } });
    const of: { headers?: Record<string, unknown>; ca?: unknown; rejectUnauthorized?: boolean; servername?: string } = {};
    Object.assign(of, await httpsOptions(f));
    // as kubectl: --token replaces the token field only, and the kubeconfig's tokenFile still wins
    assert.equal(of.headers?.Authorization, 'Bearer token-from-file');
    assert.equal(of.ca, undefined);
    assert.equal(of.rejectUnauthorized, false);
    assert.equal(of.servername, undefined); // --server clears tls-server-name, as in kubectl
    assert.equal(f.server, 'https://other:443');
    assert.equal(f.requestTimeoutMs, 90_000);
  });
});

describe('errors: one line, what to do, no secrets, and kubectl fails too', () => {
  const good = config({
    current: 'ctx-a',
    clusters: [cluster('ca', 'e-ca')],
    users: [user('ua', 'id-ua')],
    contexts: [context('ctx-a', 'ca', 'ua'), context('ctx-b', 'ca', 'ua'), context('to-ghost-cluster', 'ghost', 'ua'), context('to-ghost-user', 'ca', 'ghost')],
  });
  const cases: { name: string; files: Record<string, unknown>; kubeconfig?: string[]; flags?: ConnectionFlags; message: RegExp; kubectl: { get?: RegExp; view?: RegExp } }[] = [
    {
      name: 'unknown --context',
      files: { 'k.yaml': good },
      kubeconfig: ['k.yaml'],
      flags: { context: 'nope' },
      message: /^context "nope" not found in kubeconfig \/\S+k\.yaml; available: ctx-a, ctx-b, to-ghost-cluster, to-ghost-user$/,
      kubectl: { get: /context was not found for specified context: nope/, view: /cannot locate context nope/ },
    },
    {
      name: 'current-context names a missing context',
      files: { 'k.yaml': { ...good, 'current-context': 'gone' } },
      kubeconfig: ['k.yaml'],
      message: /^current-context "gone" not found in kubeconfig .*; available: ctx-a, .*; pass --context NAME or run `kubectl config use-context NAME`$/,
      kubectl: { get: /context was not found for specified context: gone/, view: /cannot locate context gone/ },
    },
    { name: 'no configuration at all', files: {}, message: /^no kubeconfig found: set KUBECONFIG, pass --kubeconfig FILE, or create ~\/\.kube\/config/, kubectl: { get: /localhost:8080/, view: /current-context must exist/ } },
    {
      name: 'KUBECONFIG lists only missing files (no fallback to ~/.kube/config)',
      files: { '.kube/config': good },
      kubeconfig: ['missing.yaml'],
      message: /^no kubeconfig found: none of the files in KUBECONFIG exist \(\S+missing\.yaml\); set KUBECONFIG/,
      kubectl: { get: /localhost:8080/, view: /current-context must exist/ },
    },
    {
      name: 'malformed YAML',
      files: { 'good.yaml': good, 'bad.yaml': `users:\n- name: x\n  user: {token: ${SECRET}\nclusters: [\n` },
      kubeconfig: ['good.yaml', 'bad.yaml'],
      message: /^kubeconfig \/\S+\/bad\.yaml is not valid YAML: .*; fix the file or leave it out of KUBECONFIG$/,
      kubectl: { get: /error loading config file/, view: /error loading config file/ },
    },
    { name: 'not a mapping', files: { 'list.yaml': '- a\n- b\n' }, kubeconfig: ['list.yaml'], message: /^kubeconfig \/\S+list\.yaml is not a kubeconfig: expected a mapping .*, found a list$/, kubectl: { get: /error loading config file/, view: /error loading config file/ } },
    { name: 'clusters is not a list', files: { 'm.yaml': 'clusters: {a: 1}\n' }, kubeconfig: ['m.yaml'], message: /^kubeconfig \/\S+m\.yaml: "clusters" must be a list, found a mapping$/, kubectl: { get: /error loading config file/, view: /error loading config file/ } },
    {
      name: 'a name defined twice in one file',
      files: { 'd.yaml': { ...good, clusters: [cluster('ca', 'x'), cluster('ca', 'y')] } },
      kubeconfig: ['d.yaml'],
      message: /^kubeconfig \/\S+d\.yaml: cluster "ca" is defined twice in the same file; remove one$/,
      kubectl: { get: /duplicate name "ca"/, view: /duplicate name "ca"/ },
    },
    {
      name: 'context points at a missing cluster',
      files: { 'k.yaml': good },
      kubeconfig: ['k.yaml'],
      flags: { context: 'to-ghost-cluster' },
      message: /^context "to-ghost-cluster" refers to cluster "ghost", which is not defined in kubeconfig \S+; available clusters: ca$/,
      kubectl: { view: /cannot locate cluster ghost/ }, // (`kubectl get` silently falls back to http://localhost:8080)
    },
    {
      name: 'context points at a missing user',
      files: { 'k.yaml': good },
      kubeconfig: ['k.yaml'],
      flags: { context: 'to-ghost-user' },
      message: /^context "to-ghost-user" refers to user "ghost", which is not defined in kubeconfig \S+; available users: ua; fix the context or pass --user NAME$/,
      kubectl: { view: /cannot locate user ghost/ }, // (`kubectl get` connects anonymously)
    },
    { name: 'unknown --cluster', files: { 'k.yaml': good }, kubeconfig: ['k.yaml'], flags: { cluster: 'nope' }, message: /^cluster "nope" \(from --cluster\) not found in kubeconfig \S+; available: ca$/, kubectl: { get: /no server found for cluster "nope"/ } },
    { name: 'unknown --user', files: { 'k.yaml': good }, kubeconfig: ['k.yaml'], flags: { user: 'nope' }, message: /^user "nope" \(from --user\) not found in kubeconfig \S+; available: ua$/, kubectl: { get: /auth info "nope" does not exist/ } },
    {
      name: '--kubeconfig file does not exist (KUBECONFIG set)',
      files: { 'k.yaml': good },
      kubeconfig: ['k.yaml'],
      flags: { kubeconfig: 'nope.yaml' },
      message: /^--kubeconfig \/\S+nope\.yaml: no such file; pass the path of an existing kubeconfig$/,
      kubectl: { get: /nope\.yaml: no such file or directory/ },
    },
    {
      name: 'insecure-skip-tls-verify together with a CA',
      files: { 'k.yaml': config({ current: 'c', clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1', 'insecure-skip-tls-verify': true, 'certificate-authority-data': 'Q0E=' } }], users: [user('u', 'id')], contexts: [context('c', 'c', 'u')] }) },
      kubeconfig: ['k.yaml'],
      message: /^cluster "c" in kubeconfig \S+ sets both insecure-skip-tls-verify and a certificate authority, which kubectl refuses too: remove one of them$/,
      kubectl: { get: /specifying a root certificates file with the insecure flag is not allowed/ },
    },
    {
      name: 'a token that is not a string',
      files: { 'k.yaml': config({ current: 'c', clusters: [cluster('c', 'x')], users: [{ name: 'u', user: { token: 12345 } }], contexts: [context('c', 'c', 'u')] }) },
      kubeconfig: ['k.yaml'],
      message: /^user "u" in kubeconfig \S+k\.yaml: token must be a string \(quote it\)$/,
      kubectl: { get: /cannot unmarshal number into Go struct field AuthInfo\.users\.user\.token of type string/ },
    },
    {
      name: 'an oidc setting that is not a string',
      files: { 'k.yaml': config({ current: 'c', clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1' } }], users: [{ name: 'u', user: { 'auth-provider': { name: 'oidc', config: { 'client-id': 5, 'idp-issuer-url': 'x', 'id-token': 'y' } } } }], contexts: [context('c', 'c', 'u')] }) },
      kubeconfig: ['k.yaml'],
      message: /^user "u" in kubeconfig \S+: auth-provider oidc config "client-id" must be a string \(quote it\)$/,
      kubectl: { get: /cannot unmarshal number into Go struct field AuthProviderConfig/ },
    },
    {
      name: 'server without scheme but with a path',
      files: { 'k.yaml': config({ current: 'c', clusters: [{ name: 'c', cluster: { server: '__HOSTPORT__/prefix' } }], users: [user('u', 'id')], contexts: [context('c', 'c', 'u')] }) },
      kubeconfig: ['k.yaml'],
      message: /^cluster "c": server "127\.0\.0\.1:\d+\/prefix" has no scheme but a path, which kubectl refuses too \(host must be a URL or a host:port pair\): write it as https:\/\/HOST:PORT\/PATH$/,
      kubectl: { get: /host must be a URL or a host:port pair/ },
    },
    {
      name: 'cluster without server',
      files: { 'k.yaml': config({ current: 'c', clusters: [{ name: 'c', cluster: { 'insecure-skip-tls-verify': true } }], users: [user('u', 'id')], contexts: [context('c', 'c', 'u')] }) },
      kubeconfig: ['k.yaml'],
      message: /^cluster "c" in kubeconfig \S+ has no server: set clusters\[\]\.cluster\.server or pass --server URL$/,
      kubectl: { get: /localhost:8080/ }, // (falls back to localhost:8080, which refuses)
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const dir = writeLayout(`err-${c.name.replace(/[^a-z0-9]+/gi, '-')}`, c.files);
      const e: Env = { dir, kubeconfig: c.kubeconfig, flags: c.flags };
      let err: unknown;
      try {
        ours(e);
      } catch (x) {
        err = x;
      }
      assert.ok(err instanceof UsageError, `expected a UsageError, got ${String(err)}`);
      assert.match(err.message, c.message);
      assert.ok(!err.message.includes('\n'), 'one line');
      assert.ok(!err.message.includes(SECRET), 'no secrets');
      for (const [how, says] of Object.entries(c.kubectl) as ['get' | 'view', RegExp][]) {
        const m = await kubectlFails(e, how);
        assert.notEqual(m, undefined, `kubectl ${how} should fail too`);
        assert.match(m!, says, `kubectl ${how} should fail for the same reason`);
      }
    });
  }
});

describe('in-cluster (fake filesystem: kubectl reads the real /var/run/secrets, so no kubectl parity here)', () => {
  function fakeFs(files: Record<string, string>): FileAccess {
    return {
      exists: (p) => p in files,
      readFile: (p) => {
        if (!(p in files)) throw new Error(`ENOENT: no such file or directory, open '${p}'`);
        return files[p]!;
      },
    };
  }
  const sa: Record<string, string> = { [`${SERVICE_ACCOUNT_DIR}/token`]: 'sa-token\n', [`${SERVICE_ACCOUNT_DIR}/namespace`]: 'pod-ns', [`${SERVICE_ACCOUNT_DIR}/ca.crt`]: 'CA' };
  const podEnv = { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443', HOME: '/home/nobody' };

  test('no kubeconfig + service account: in-cluster with the pod namespace', async () => {
    const c = resolveConnection({}, podEnv, fakeFs(sa));
    assert.equal(c.inCluster, true);
    assert.equal(c.server, 'https://10.96.0.1:443');
    assert.equal(c.namespace, 'pod-ns');
    assert.equal(c.namespaceExplicit, false);
    assert.equal(c.cluster?.caFile, `${SERVICE_ACCOUNT_DIR}/ca.crt`);
    // (client-node reads the CA from the real filesystem: apply the options without one)
    const noCa = { ...sa };
    delete noCa[`${SERVICE_ACCOUNT_DIR}/ca.crt`];
    const o: { headers?: Record<string, unknown> } = {};
    Object.assign(o, await httpsOptions(resolveConnection({}, podEnv, fakeFs(noCa)), fakeFs(noCa)));
    assert.equal(o.headers?.Authorization, 'Bearer sa-token');
  });

  test('POD_NAMESPACE, -n, IPv6 host, --server, --certificate-authority, --token', () => {
    assert.equal(resolveConnection({}, { ...podEnv, POD_NAMESPACE: 'from-env' }, fakeFs(sa)).namespace, 'from-env');
    assert.equal(resolveConnection({ namespace: 'flag' }, { ...podEnv, POD_NAMESPACE: 'from-env' }, fakeFs(sa)).namespace, 'flag');
    assert.equal(resolveConnection({}, { ...podEnv, KUBERNETES_SERVICE_HOST: 'fd00::1' }, fakeFs(sa)).server, 'https://[fd00::1]:443');
    assert.equal(resolveConnection({ server: 'https://x:6443' }, podEnv, fakeFs(sa)).server, 'https://x:6443');
    assert.equal(resolveConnection({ certificateAuthority: '/flag/ca.crt' }, podEnv, fakeFs(sa)).cluster.caFile, '/flag/ca.crt');
    assert.equal(resolveConnection({ token: 'flag-token' }, podEnv, fakeFs(sa)).user.token, 'flag-token');
    const noNs = { ...sa };
    delete noNs[`${SERVICE_ACCOUNT_DIR}/namespace`];
    assert.equal(resolveConnection({}, podEnv, fakeFs(noNs)).namespace, 'default');
  });

  test('a kubeconfig wins over in-cluster, but a context without namespace takes the pod namespace (as kubectl)', () => {
    const kc = stringify(config({ current: 'c', clusters: [cluster('c', 'x')], users: [user('u', 'id')], contexts: [context('c', 'c', 'u'), context('with-ns', 'c', 'u', 'ctx-ns')] })).replaceAll('__SERVER__', 'https://kc.example');
    const fs = fakeFs({ ...sa, '/home/nobody/.kube/config': kc });
    const c = resolveConnection({}, podEnv, fs);
    assert.equal(c.inCluster, false);
    assert.equal(c.server, 'https://kc.example/x');
    assert.equal(c.namespace, 'pod-ns');
    assert.equal(resolveConnection({ context: 'with-ns' }, podEnv, fs).namespace, 'ctx-ns');
  });

  test('a context whose cluster is missing falls back to in-cluster in a pod (as kubectl)', () => {
    const kc = stringify(config({ current: 'c', users: [user('u', 'id')], contexts: [context('c', 'ghost', 'u')] }));
    assert.equal(resolveConnection({}, podEnv, fakeFs({ ...sa, '/home/nobody/.kube/config': kc })).inCluster, true);
  });

  test('without the token file there is no in-cluster config', () => {
    assert.throws(() => resolveConnection({}, podEnv, fakeFs({})), (e) => e instanceof UsageError && /^no kubeconfig found/.test(e.message));
  });
});

describe('connection flags over the kubeconfig (clientcmd precedence; the https parity is in credentials.test.ts)', () => {
  const kc = stringify(
    config({
      current: 'c',
      clusters: [{ name: 'c', cluster: { server: 'https://kc.example:6443', 'certificate-authority-data': 'Q0E=', 'tls-server-name': 'kc-name' } }],
      users: [
        { name: 'u', user: { token: 'kc-token', as: 'kc-as', 'as-groups': ['kc-g'], 'as-uid': 'kc-uid', 'client-certificate': '/c.crt', 'client-key': '/c.key' } },
        { name: 'basic', user: { username: 'kc-user', password: 'kc-pass' } },
      ],
      contexts: [context('c', 'c', 'u'), context('b', 'c', 'basic')],
    }),
  );
  const fs: FileAccess = { exists: (p) => p === '/home/t/.kube/config', readFile: (p) => (p === '/home/t/.kube/config' ? kc : '') };
  const cases: { name: string; flags: ConnectionFlags; want: Record<string, unknown> }[] = [
    { name: 'no flags: the kubeconfig', flags: {}, want: { server: 'https://kc.example:6443', caData: 'Q0E=', tlsServerName: 'kc-name', token: 'kc-token', impersonateUser: 'kc-as', impersonateGroups: ['kc-g'], impersonateUid: 'kc-uid' } },
    { name: '--server replaces the server and clears tls-server-name', flags: { server: 'https://flag:1' }, want: { server: 'https://flag:1', tlsServerName: undefined, caData: 'Q0E=' } },
    { name: '--server with --tls-server-name', flags: { server: 'https://flag:1', tlsServerName: 'flag-name' }, want: { tlsServerName: 'flag-name' } },
    { name: '--tls-server-name alone', flags: { tlsServerName: 'flag-name' }, want: { server: 'https://kc.example:6443', tlsServerName: 'flag-name' } },
    { name: '--certificate-authority replaces the CA data', flags: { certificateAuthority: '/flag-ca.crt' }, want: { caFile: '/flag-ca.crt', caData: undefined, skipTLSVerify: false } },
    { name: '--insecure-skip-tls-verify drops the CA', flags: { insecureSkipTlsVerify: true }, want: { caFile: undefined, caData: undefined, skipTLSVerify: true } },
    { name: '--token replaces the token', flags: { token: 'flag-token' }, want: { token: 'flag-token', certFile: '/c.crt' } },
    { name: '--client-certificate / --client-key replace the files', flags: { clientCertificate: '/f.crt', clientKey: '/f.key' }, want: { certFile: '/f.crt', keyFile: '/f.key' } },
    { name: '--as replaces the user, keeps groups and uid', flags: { as: 'flag-as' }, want: { impersonateUser: 'flag-as', impersonateGroups: ['kc-g'], impersonateUid: 'kc-uid' } },
    { name: '--as-group (repeated) replaces the groups', flags: { asGroups: ['a', 'b'] }, want: { impersonateGroups: ['a', 'b'] } },
    { name: '--as-uid replaces the uid', flags: { asUid: 'flag-uid' }, want: { impersonateUid: 'flag-uid' } },
    { name: '--username / --password replace one field each', flags: { context: 'b', password: 'flag-pass' }, want: { username: 'kc-user', password: 'flag-pass' } },
    { name: 'empty flag values count as not given', flags: { server: '', token: '', as: '', asGroups: [''], tlsServerName: '' }, want: { server: 'https://kc.example:6443', token: 'kc-token', impersonateUser: 'kc-as', impersonateGroups: ['kc-g'], tlsServerName: 'kc-name' } },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const r = resolveConnection(c.flags, { HOME: '/home/t' }, fs);
      const got = { ...r.cluster, ...r.user, server: r.server } as Record<string, unknown>;
      for (const [k, v] of Object.entries(c.want)) assert.deepEqual(got[k], v, k);
    });
  }

  const servers: [raw: string, want: string | RegExp][] = [
    ['https://api.example:6443/', 'https://api.example:6443'],
    ['https://api.example/prefix//', 'https://api.example/prefix'],
    ['api.example:6443', 'http://api.example:6443'],
    ['10.0.0.1:6443', 'http://10.0.0.1:6443'],
    ['localhost', 'http://localhost'],
    ['::1', 'http://[::1]'],
    ['[fd00::1]:6443', 'http://[fd00::1]:6443'],
    ['api.example/prefix', /has no scheme but a path/],
    ['ftp://api.example', /must be an https:\/\/ \(or http:\/\/\) URL/],
    ['https://user:pw@api.example', /must not hold a user name or password/],
    ['http://[bad', /is neither a URL nor host:port/],
  ];
  for (const [raw, want] of servers) {
    test(`server "${raw}"`, () => {
      const f: FileAccess = { exists: (p) => fs.exists(p), readFile: () => kc.replace('https://kc.example:6443', JSON.stringify(raw)) };
      if (typeof want === 'string') assert.equal(resolveConnection({}, { HOME: '/home/t' }, f).server, want);
      else assert.throws(() => resolveConnection({}, { HOME: '/home/t' }, f), (e) => e instanceof UsageError && want.test(e.message) && !e.message.includes('pw@'));
    });
  }
});
