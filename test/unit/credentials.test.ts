// Credentials, connection flags and proxies, checked for parity against kubectl itself over https
// (kubectl sends no credentials over plain http, so the recording server of kubeconfig.test.ts cannot
// see them). A RECORDING FAKE SERVER, not an API server: https with the self-signed certificate of
// test/fixtures/tls, asking for (not requiring) a client certificate; it answers discovery and an
// empty PodList under a per-case path prefix, and records for each pod list who was asking: the
// Authorization header, the client certificate's CN, the Impersonate-* headers. A FAULT-FREE FAKE
// CONNECT PROXY records the tunnels it was asked for. Each case runs our client (resolveConnection +
// httpsOptions + ApiClient, as openSession does) and `kubectl get pods` with the same kubeconfig,
// environment and flags, and compares what the server saw - or that both refuse, and why.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { RuntimeError } from '../../src/errors.ts';
import { ApiClient } from '../../src/io/http.ts';
import { httpsOptions, resolveConnection, type ConnectionFlags } from '../../src/io/kubeconfig.ts';
import { openSession } from '../../src/io/live/session.ts';

const execFileAsync = promisify(execFile);
const T = join(import.meta.dirname, '..', 'fixtures', 'tls');
const CA = join(T, 'server.crt');
const WRONG_CA = join(T, 'client.crt');
const V1 = 'client.authentication.k8s.io/v1';

interface Seen {
  auth: string;
  cn: string;
  user: string;
  groups: string;
  uid: string;
  extra: string;
}
const seen = new Map<string, Seen[]>();
const tunnels: string[] = [];
let tmp = '';
let server: https.Server;
let port = 0;
let proxy: http.Server;
let proxyPort = 0;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'ds-inspect-creds-'));
  server = https.createServer({ key: readFileSync(join(T, 'server.key')), cert: readFileSync(CA), requestCert: true, rejectUnauthorized: false }, (req, res) => {
    const m = /^\/([^/?]+)(\/.*)$/.exec(req.url ?? '');
    const rest = m?.[2] ?? '';
    let body: unknown = { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: [] };
    if (/^\/version(\?|$)/.test(rest)) body = { major: '1', minor: '32', gitVersion: 'v1.32.4' };
    else if (/^\/api(\?|$)/.test(rest)) body = { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] };
    else if (/^\/apis(\?|$)/.test(rest)) body = { kind: 'APIGroupList', apiVersion: 'v1', groups: [] };
    else if (/^\/api\/v1(\?|$)/.test(rest)) body = { kind: 'APIResourceList', groupVersion: 'v1', resources: [{ name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list'] }] };
    else if (m && /^\/api\/v1\/namespaces\/[^/]+\/pods/.test(rest)) {
      const raw = req.rawHeaders;
      const all = (re: RegExp): string[] => raw.flatMap((h, i) => (i % 2 === 0 && re.test(h) ? [`${h.toLowerCase()}=${raw[i + 1]}`] : []));
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      const list = seen.get(m[1]!) ?? [];
      list.push({
        auth: req.headers.authorization ?? '',
        cn: typeof peer.subject?.CN === 'string' ? peer.subject.CN : '',
        user: String(req.headers['impersonate-user'] ?? ''),
        groups: all(/^impersonate-group$/i).join(' '),
        uid: String(req.headers['impersonate-uid'] ?? ''),
        extra: all(/^impersonate-extra-/i).sort().join(' '),
      });
      seen.set(m[1]!, list);
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  proxy = http.createServer((_q, res) => res.writeHead(405).end());
  proxy.on('connect', (req: http.IncomingMessage, sock: Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    const up = net.connect(port, '127.0.0.1', () => {
      sock.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) up.write(head);
      sock.pipe(up).pipe(sock);
    });
    up.on('error', () => sock.destroy());
    sock.on('error', () => up.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  proxyPort = (proxy.address() as AddressInfo).port;
});

after(() => {
  server.closeAllConnections();
  server.close();
  proxy.closeAllConnections();
  proxy.close();
  rmSync(tmp, { recursive: true, force: true });
});

const b64 = (f: string): string => readFileSync(f).toString('base64');
const SRV = (tag: string, host = '127.0.0.1'): string => `https://${host}:__PORT__/${tag}`;

function kubeconfig(tag: string, cluster: Record<string, unknown>, user: Record<string, unknown>, host?: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'c',
    clusters: [{ name: 'c', cluster: { server: SRV(tag, host), 'certificate-authority': CA, ...cluster } }],
    users: [{ name: 'u', user }],
    contexts: [{ name: 'c', context: { cluster: 'c', user: 'u', namespace: 'ns' } }],
  };
}

function kubectlArgs(f: ConnectionFlags): string[] {
  const out: string[] = [];
  const one: [keyof ConnectionFlags, string][] = [
    ['server', '--server'],
    ['token', '--token'],
    ['certificateAuthority', '--certificate-authority'],
    ['clientCertificate', '--client-certificate'],
    ['clientKey', '--client-key'],
    ['tlsServerName', '--tls-server-name'],
    ['as', '--as'],
    ['asUid', '--as-uid'],
    ['username', '--username'],
    ['password', '--password'],
  ];
  for (const [k, flag] of one) if (f[k] !== undefined) out.push(`${flag}=${String(f[k])}`);
  if (f.insecureSkipTlsVerify) out.push('--insecure-skip-tls-verify');
  for (const g of f.asGroups ?? []) out.push(`--as-group=${g}`);
  return out;
}

interface Case {
  name: string;
  cluster?: Record<string, unknown>;
  user: Record<string, unknown>;
  /** the server's host name (the certificate is valid for 127.0.0.1, localhost, api.test, other.test) */
  host?: string;
  flags?: ConnectionFlags;
  env?: NodeJS.ProcessEnv;
  /** what the server should see (both clients); or, when both must refuse, what each says */
  want: Partial<Seen> | { ours: RegExp; kubectl: RegExp };
  /** the CONNECT tunnels both clients asked the proxy for */
  tunnels?: string[];
  files?: Record<string, string>;
}

let n = 0;
async function ours(kc: string, c: Case, env: NodeJS.ProcessEnv): Promise<void> {
  const flags = { ...c.flags, kubeconfig: kc };
  if (flags.server) flags.server = flags.server.replace('__PORT__', String(port));
  const conn = resolveConnection(flags, env);
  const o = await httpsOptions(conn, undefined, { env, stdinIsTerminal: false });
  const client = new ApiClient(
    { server: conn.server, ca: o.ca, cert: o.cert, key: o.key, rejectUnauthorized: o.rejectUnauthorized, servername: o.servername, headers: o.headers, proxy: conn.proxy, timeoutMs: 10_000, describe: 'u' },
    { verbosity: 0, write: () => undefined },
  );
  try {
    await client.get(`/api/v1/namespaces/${conn.namespace}/pods`);
  } finally {
    client.close();
  }
}

async function kubectl(kc: string, c: Case, env: NodeJS.ProcessEnv): Promise<void> {
  const flags = { ...c.flags };
  if (flags.server) flags.server = flags.server.replace('__PORT__', String(port));
  await execFileAsync('kubectl', ['get', 'pods', '--kubeconfig', kc, '--request-timeout', '10s', '--cache-dir', join(tmp, 'cache', String(n++)), ...kubectlArgs(flags)], { env, cwd: tmp, encoding: 'utf8' });
}

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    return (err.stderr ?? err.message).trim();
  }
  return '(no failure)';
}

const plugin = (name: string, status: unknown): [string, string] => [`${name}.sh`, `#!/bin/sh\ncat <<'EOF'\n${JSON.stringify({ kind: 'ExecCredential', apiVersion: V1, status })}\nEOF\n`];
const jwt = (exp: number): string => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ exp, sub: 'x' })).toString('base64url')}.sig`;
const OIDC = { 'client-id': 'k', 'idp-issuer-url': 'https://issuer.invalid' };

const cases: Case[] = [
  { name: 'token', user: { token: 'kc-token' }, want: { auth: 'Bearer kc-token' } },
  { name: '--token over the token', user: { token: 'kc-token' }, flags: { token: 'flag-token' }, want: { auth: 'Bearer flag-token' } },
  { name: 'tokenFile wins over --token (kubectl quirk)', user: { tokenFile: '__DIR__/tok.txt' }, files: { 'tok.txt': 'file-token\n' }, flags: { token: 'flag-token' }, want: { auth: 'Bearer file-token' } },
  { name: 'basic auth', user: { username: 'kcu', password: 'kcp' }, want: { auth: `Basic ${Buffer.from('kcu:kcp').toString('base64')}` } },
  { name: '--username replaces only the user name', user: { username: 'kcu', password: 'kcp' }, flags: { username: 'fu' }, want: { auth: `Basic ${Buffer.from('fu:kcp').toString('base64')}` } },
  { name: 'client certificate files', user: { 'client-certificate': join(T, 'client.crt'), 'client-key': join(T, 'client.key') }, want: { cn: 'cert-user', auth: '' } },
  { name: '--client-certificate/--client-key', user: { token: 't' }, flags: { clientCertificate: join(T, 'client.crt'), clientKey: join(T, 'client.key') }, want: { cn: 'cert-user', auth: 'Bearer t' } },
  {
    name: '--client-certificate when the kubeconfig has client-*-data',
    user: { 'client-certificate-data': b64(join(T, 'client.crt')), 'client-key-data': b64(join(T, 'client.key')) },
    flags: { clientCertificate: join(T, 'server.crt'), clientKey: join(T, 'server.key') },
    want: { ours: /has both client-certificate-data and client-certificate/, kubectl: /client-cert-data and client-cert are both specified for u/ },
  },
  { name: '--token with a client certificate: both', user: { 'client-certificate': join(T, 'client.crt'), 'client-key': join(T, 'client.key') }, flags: { token: 'ft' }, want: { cn: 'cert-user', auth: 'Bearer ft' } },
  { name: 'exec plugin token', user: { exec: { apiVersion: V1, command: '__DIR__/p.sh', interactiveMode: 'Never' } }, files: Object.fromEntries([plugin('p', { token: 'exec-token' })]), want: { auth: 'Bearer exec-token' } },
  {
    name: 'exec plugin client certificate',
    user: { exec: { apiVersion: V1, command: '__DIR__/p.sh', interactiveMode: 'IfAvailable' } },
    files: Object.fromEntries([plugin('p', { clientCertificateData: readFileSync(join(T, 'client.crt'), 'utf8'), clientKeyData: readFileSync(join(T, 'client.key'), 'utf8') })]),
    want: { cn: 'cert-user', auth: '' },
  },
  { name: '--token: the exec plugin is not run', user: { exec: { apiVersion: V1, command: '/nonexistent/plugin', interactiveMode: 'Never' } }, flags: { token: 'ft' }, want: { auth: 'Bearer ft' } },
  {
    name: 'impersonation from the kubeconfig',
    user: { token: 't', as: 'alice', 'as-groups': ['g1', 'g2'], 'as-uid': '42', 'as-user-extra': { scopes: ['a', 'b'], team: ['x'] } },
    want: { user: 'alice', groups: 'impersonate-group=g1 impersonate-group=g2', uid: '42', extra: 'impersonate-extra-scopes=a impersonate-extra-scopes=b impersonate-extra-team=x' },
  },
  {
    name: '--as, --as-group (replaces), --as-uid',
    user: { token: 't', as: 'alice', 'as-groups': ['g1'], 'as-uid': '42' },
    flags: { as: 'bob', asGroups: ['x', 'y'], asUid: '7' },
    want: { user: 'bob', groups: 'impersonate-group=x impersonate-group=y', uid: '7' },
  },
  { name: 'oidc id-token', user: { 'auth-provider': { name: 'oidc', config: { ...OIDC, 'id-token': jwt(4102444800) } } }, want: { auth: `Bearer ${jwt(4102444800)}` } },
  { name: '--token with oidc: the token', user: { 'auth-provider': { name: 'oidc', config: { ...OIDC, 'id-token': jwt(4102444800) } } }, flags: { token: 'ft' }, want: { auth: 'Bearer ft' } },
  { name: '--certificate-authority over a wrong CA', cluster: { 'certificate-authority': WRONG_CA }, user: { token: 't' }, flags: { certificateAuthority: CA }, want: { auth: 'Bearer t' } },
  { name: '--insecure-skip-tls-verify drops a wrong CA', cluster: { 'certificate-authority-data': b64(WRONG_CA) }, user: { token: 't' }, flags: { insecureSkipTlsVerify: true }, want: { auth: 'Bearer t' } },
  { name: '--tls-server-name', cluster: { 'tls-server-name': 'nomatch.test' }, user: { token: 't' }, flags: { tlsServerName: 'api.test' }, want: { auth: 'Bearer t' } },
  { name: '--server clears tls-server-name', cluster: { 'tls-server-name': 'nomatch.test' }, user: { token: 't' }, flags: { server: SRV('__TAG__') }, want: { auth: 'Bearer t' } },
  { name: 'proxy-url', cluster: { 'proxy-url': '__PROXY__' }, host: 'api.test', user: { token: 't' }, want: { auth: 'Bearer t' }, tunnels: ['api.test:__PORT__'] },
  { name: 'HTTPS_PROXY', host: 'api.test', user: { token: 't' }, env: { HTTPS_PROXY: '__PROXY__' }, want: { auth: 'Bearer t' }, tunnels: ['api.test:__PORT__'] },
  { name: 'HTTPS_PROXY skipped for 127.0.0.1', user: { token: 't' }, env: { HTTPS_PROXY: '__PROXY__' }, want: { auth: 'Bearer t' }, tunnels: [] },
  { name: 'proxy-url also for 127.0.0.1', cluster: { 'proxy-url': '__PROXY__' }, user: { token: 't' }, want: { auth: 'Bearer t' }, tunnels: ['127.0.0.1:__PORT__'] },
  { name: 'proxy-url wins over HTTPS_PROXY', cluster: { 'proxy-url': '__PROXY__' }, host: 'api.test', user: { token: 't' }, env: { HTTPS_PROXY: 'http://127.0.0.1:1' }, want: { auth: 'Bearer t' }, tunnels: ['api.test:__PORT__'] },
  // both refuse
  { name: 'NO_PROXY: direct to api.test, which does not resolve', host: 'api.test', user: { token: 't' }, env: { HTTPS_PROXY: '__PROXY__', NO_PROXY: '.test' }, want: { ours: /cannot resolve the API server host/, kubectl: /no such host|lookup api\.test/ }, tunnels: [] },
  { name: 'token and basic auth', user: { token: 't', username: 'u', password: 'p' }, want: { ours: /has both a token and basic auth/, kubectl: /more than one authentication method found for u/ } },
  { name: 'groups without a user to impersonate', user: { token: 't' }, flags: { asGroups: ['g'] }, want: { ours: /need a user to impersonate/, kubectl: /requesting uid, groups or user-extra for u without impersonating a user/ } },
  { name: 'client certificate without key', user: { 'client-certificate': join(T, 'client.crt') }, want: { ours: /client-key-data or client-key must be specified/, kubectl: /client-key-data or client-key must be specified for u/ } },
  { name: 'gcp auth provider', user: { 'auth-provider': { name: 'gcp', config: { 'cmd-path': '/bin/sh', 'cmd-args': '-c "touch __DIR__/PWNED"' } } }, want: { ours: /^user "u" in kubeconfig \S+: The gcp auth plugin has been removed\. Please use the "gke-gcloud-auth-plugin" kubectl\/client-go credential plugin instead\. See https:\/\/cloud\.google\.com\/\S+ for further details$/, kubectl: /The gcp auth plugin has been removed/ } },
  { name: 'gcp even with --token', user: { 'auth-provider': { name: 'gcp' } }, flags: { token: 't' }, want: { ours: /The gcp auth plugin has been removed/, kubectl: /The gcp auth plugin has been removed/ } },
  { name: 'azure auth provider', user: { 'auth-provider': { name: 'azure' } }, want: { ours: /: The azure auth plugin has been removed\. Please use the https:\/\/github\.com\/Azure\/kubelogin kubectl\/client-go credential plugin instead\./, kubectl: /The azure auth plugin has been removed/ } },
  { name: 'unknown auth provider', user: { 'auth-provider': { name: 'weird' } }, want: { ours: /no Auth Provider found for name "weird"/, kubectl: /no Auth Provider found for name "weird"/ } },
  { name: 'oidc without idp-issuer-url', user: { 'auth-provider': { name: 'oidc', config: { 'id-token': jwt(4102444800) } } }, want: { ours: /Must provide idp-issuer-url/, kubectl: /Must provide idp-issuer-url/ } },
  { name: 'oidc expired id-token', user: { 'auth-provider': { name: 'oidc', config: { ...OIDC, 'id-token': jwt(1000) } } }, want: { ours: /no valid oidc id-token .* and cannot refresh without refresh-token/, kubectl: /No valid id-token, and cannot refresh without refresh-token/ } },
  { name: 'exec v1 without interactiveMode', user: { exec: { apiVersion: V1, command: 'x' } }, want: { ours: /interactiveMode must be specified/, kubectl: /interactiveMode must be specified for u/ } },
  { name: '--insecure-skip-tls-verify with --certificate-authority', user: { token: 't' }, flags: { insecureSkipTlsVerify: true, certificateAuthority: CA }, want: { ours: /sets both insecure-skip-tls-verify and a certificate authority/, kubectl: /specifying a root certificates file with the insecure flag is not allowed/ } },
  { name: 'wrong CA', cluster: { 'certificate-authority': WRONG_CA }, user: { token: 't' }, want: { ours: /TLS error talking to/, kubectl: /certificate signed by unknown authority/ } },
  { name: 'tls-server-name that the certificate does not name', cluster: { 'tls-server-name': 'nomatch.test' }, user: { token: 't' }, want: { ours: /TLS error talking to/, kubectl: /certificate is valid for .*, not nomatch\.test/ } },
];

const parity: string[] = [];

describe('credentials and connection flags: parity with kubectl over https', () => {
  after(() => console.log(['credentials parity (what the server saw, ours = kubectl):', ...parity].join('\n')));
  for (const c of cases) {
    test(c.name, async () => {
      const tag = c.name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '');
      const dir = join(tmp, tag);
      mkdirSync(dir, { recursive: true });
      const fill = (s: string): string => s.replaceAll('__DIR__', dir).replaceAll('__PORT__', String(port)).replaceAll('__PROXY__', `http://127.0.0.1:${proxyPort}`);
      for (const [f, text] of Object.entries(c.files ?? {})) {
        writeFileSync(join(dir, f), fill(text));
        if (f.endsWith('.sh')) chmodSync(join(dir, f), 0o755);
      }
      const kc = join(dir, 'k.yaml');
      writeFileSync(kc, fill(stringify(kubeconfig(tag, c.cluster ?? {}, c.user, c.host))));
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir };
      for (const [k, v] of Object.entries(c.env ?? {})) env[k] = fill(v!);
      const flags = c.flags?.server ? { ...c.flags, server: c.flags.server.replace('__TAG__', tag) } : c.flags;
      const cs = { ...c, flags };
      seen.delete(tag);
      tunnels.length = 0;
      if ('ours' in c.want) {
        const mine = await failure(ours(kc, cs, env));
        const theirs = await failure(kubectl(kc, cs, env));
        assert.match(mine, c.want.ours);
        assert.ok(!mine.includes('\n'), 'one line');
        assert.match(theirs, c.want.kubectl);
        assert.equal(seen.get(tag), undefined, 'no request reached the server');
        parity.push(`  ${c.name.padEnd(58)} both refuse`);
      } else {
        await ours(kc, cs, env);
        await kubectl(kc, cs, env);
        const got = seen.get(tag) ?? [];
        assert.equal(got.length, 2, `server saw ${got.length} pod lists`);
        assert.deepEqual(got[0], got[1], 'ours and kubectl differ');
        for (const [k, v] of Object.entries(c.want)) assert.equal(got[0]![k as keyof Seen], v, k);
        parity.push(`  ${c.name.padEnd(58)} ${JSON.stringify(Object.fromEntries(Object.entries(got[0]!).filter(([, v]) => v !== '')))}`);
      }
      if (c.tunnels) assert.deepEqual([...new Set(tunnels)], c.tunnels.map(fill), 'CONNECT tunnels');
      assert.equal(readFileSafe(join(dir, 'PWNED')), undefined, 'no auth-provider command ran');
    });
  }
});

describe('openSession: warnings on stderr, credential failures as one line', () => {
  const SECRET = 'session-secret-do-not-print';
  function setup(name: string, server: string, user: Record<string, unknown>, files: Record<string, string> = {}): { kc: string; stderr: string[]; io: { env: NodeJS.ProcessEnv; log: Parameters<typeof openSession>[2] } } {
    const dir = join(tmp, `session-${name.replace(/\W+/g, '-')}`);
    mkdirSync(dir, { recursive: true });
    for (const [f, text] of Object.entries(files)) {
      writeFileSync(join(dir, f), text);
      chmodSync(join(dir, f), 0o755);
    }
    const kc = join(dir, 'k.yaml');
    writeFileSync(kc, stringify({ 'current-context': 'c', clusters: [{ name: 'c', cluster: { server, 'certificate-authority': CA } }], users: [{ name: 'u', user }], contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }] }).replaceAll('__DIR__', dir));
    const stderr: string[] = [];
    const io = { env: { PATH: process.env.PATH, HOME: dir }, log: { verbosity: 0, write: (x: string) => stderr.push(x) } };
    return { kc, stderr, io };
  }

  test('a token over http://: not sent, one warning line', async () => {
    const { kc, stderr, io } = setup('http-token', 'http://127.0.0.1:1', { token: SECRET });
    const s = await openSession({ kubeconfig: kc }, io.env, io.log);
    s.client.close();
    assert.deepEqual(stderr, ['Warning: not sending the token of user "u" to http://127.0.0.1:1: kubectl sends no credentials over plain http either; use an https:// server\n']);
  });

  const failing: { name: string; script: string; message: RegExp }[] = [
    { name: 'exits 1', script: 'exit 1', message: /^cannot get credentials for user "u": exec plugin "\S+plugin\.sh" failed with exit code 1 \(its own message, if any, is printed above\)$/ },
    { name: 'malformed', script: `echo '{"status":{"token":"${SECRET}"'`, message: /^cannot get credentials for user "u": exec plugin "\S+" printed something that is not JSON on stdout/ },
  ];
  for (const f of failing) {
    test(`exec plugin ${f.name}`, async () => {
      const { kc, io } = setup(`exec-${f.name}`, 'https://127.0.0.1:1', { exec: { apiVersion: V1, command: '__DIR__/plugin.sh', interactiveMode: 'Never' } }, { 'plugin.sh': `#!/bin/sh\n${f.script}\n` });
      await assert.rejects(openSession({ kubeconfig: kc }, io.env, io.log), (e) => e instanceof RuntimeError && f.message.test(e.message) && !e.message.includes(SECRET));
    });
  }
});

function readFileSafe(p: string): string | undefined {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}
