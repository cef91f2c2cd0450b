// FAULT-INJECTION FAKE PROXY SERVERS, not real proxies: an HTTP CONNECT proxy and a SOCKS5 proxy of a
// few lines each on 127.0.0.1 that record what they were asked for (the CONNECT target, the
// Proxy-Authorization header, the SOCKS destination), tunnel every target to one fake API server
// (https, with the self-signed certificate of test/fixtures/tls, valid for api.test), or fail on
// demand (407, 403). Which proxy kubectl would choose is checked as a table against Go's rules.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { RuntimeError, UsageError } from '../../src/errors.ts';
import { ApiClient, type Transport } from '../../src/io/http.ts';
import { httpsOptions, resolveConnection } from '../../src/io/kubeconfig.ts';
import { chooseProxy, loadProxySupport, useEnvProxy } from '../../src/io/proxy.ts';

const T = join(import.meta.dirname, '..', 'fixtures', 'tls');
const CA = readFileSync(join(T, 'server.crt'));
const PROXY_PASSWORD = 'pr0xy-pa55word';

let api: https.Server;
let apiPort = 0;
const apiSeen: { host: string; auth: string }[] = [];

type Fault = 'ok' | '407' | '403';
let fault: Fault = 'ok';
let proxy: http.Server;
let proxyPort = 0;
let tlsProxy: https.Server;
let tlsProxyPort = 0;
const connects: { target: string; auth: string }[] = [];

let socks: net.Server;
let socksPort = 0;
const socksSeen: string[] = [];
let closedPort = 0;
let tmp = '';

function tunnel(to: net.Socket, head?: Buffer): void {
  const upstream = net.connect(apiPort, '127.0.0.1', () => {
    if (head?.length) upstream.write(head);
    to.pipe(upstream).pipe(to);
  });
  upstream.on('error', () => to.destroy());
  to.on('error', () => upstream.destroy());
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'ds-inspect-proxy-'));
  api = https.createServer({ key: readFileSync(join(T, 'server.key')), cert: CA }, (req, res) => {
    apiSeen.push({ host: req.headers.host ?? '', auth: req.headers.authorization ?? '' });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"kind":"PodList","items":[]}');
  });
  await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
  apiPort = (api.address() as AddressInfo).port;

  proxy = http.createServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req: http.IncomingMessage, sock: net.Socket, head: Buffer) => {
    connects.push({ target: req.url ?? '', auth: req.headers['proxy-authorization'] ?? '' });
    if (fault === '407') return void sock.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="p"\r\nContent-Length: 0\r\n\r\n');
    if (fault === '403') return void sock.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
    sock.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    tunnel(sock, head);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  proxyPort = (proxy.address() as AddressInfo).port;

  // the same CONNECT proxy spoken to over TLS (an https:// proxy URL)
  tlsProxy = https.createServer({ key: readFileSync(join(T, 'server.key')), cert: CA }, (_req, res) => res.writeHead(405).end());
  tlsProxy.on('connect', (req: http.IncomingMessage, sock: net.Socket, head: Buffer) => {
    connects.push({ target: `tls ${req.url ?? ''}`, auth: req.headers['proxy-authorization'] ?? '' });
    sock.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    tunnel(sock, head);
  });
  await new Promise<void>((r) => tlsProxy.listen(0, '127.0.0.1', r));
  tlsProxyPort = (tlsProxy.address() as AddressInfo).port;

  // SOCKS5 (RFC 1928), no authentication, CONNECT only; records the destination as the client sent it.
  socks = net.createServer((sock) => {
    let buf = Buffer.alloc(0);
    let stage = 0;
    sock.on('data', function onData(chunk: Buffer) {
      buf = Buffer.concat([buf, chunk]);
      if (stage === 0 && buf.length >= 2 && buf.length >= 2 + buf[1]!) {
        buf = buf.subarray(2 + buf[1]!);
        sock.write(Buffer.from([5, 0]));
        stage = 1;
      }
      if (stage === 1 && buf.length >= 5) {
        const atyp = buf[3]!;
        const len = atyp === 3 ? 1 + buf[4]! : atyp === 1 ? 4 : 16;
        if (buf.length < 4 + len + 2) return;
        const addr = atyp === 3 ? buf.subarray(5, 5 + buf[4]!).toString() : atyp === 1 ? [...buf.subarray(4, 8)].join('.') : 'ipv6';
        socksSeen.push(`${addr}:${buf.readUInt16BE(4 + len)}`);
        sock.removeListener('data', onData);
        sock.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]));
        tunnel(sock, buf.subarray(4 + len + 2));
        stage = 2;
      }
    });
    sock.on('error', () => undefined);
  });
  await new Promise<void>((r) => socks.listen(0, '127.0.0.1', r));
  socksPort = (socks.address() as AddressInfo).port;

  const closed = net.createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  closedPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
});

after(() => {
  for (const s of [api, proxy, tlsProxy, socks]) {
    (s as http.Server).closeAllConnections?.();
    s.close();
  }
  rmSync(tmp, { recursive: true, force: true });
});

function reset(f: Fault = 'ok'): void {
  fault = f;
  connects.length = 0;
  socksSeen.length = 0;
  apiSeen.length = 0;
}

async function get(server: string, env: NodeJS.ProcessEnv, proxyUrl?: string, log: string[] = []): Promise<unknown> {
  const choice = chooseProxy(new URL(server), proxyUrl, 'c', env);
  await loadProxySupport(choice);
  const t: Transport = { server, ca: CA, headers: { Authorization: 'Bearer api-token' }, proxy: choice, timeoutMs: 10_000, describe: 'user "u"' };
  const c = new ApiClient(t, { verbosity: 9, write: (l) => log.push(l) });
  try {
    return await c.get('/api/v1/pods');
  } finally {
    c.close();
  }
}

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  assert.fail('expected a failure');
}

describe('which proxy (Go httpproxy and clientcmd rules)', () => {
  // NO_PROXY entries of every kind; hosts are checked with the port the scheme implies
  const NO = ' Foobar.com, .barbaz.net, *.wildcard.test, 10.0.0.0/8, 192.168.1.1, 192.168.1.2:8443, [fd00::1]:443, fd00::2, fd01::/16, example.org:6443, [::]:1, ';
  const cases: [host: string, port: string, viaProxy: boolean][] = [
    ['localhost', '443', false], // never proxied, as in Go
    ['127.0.0.1', '443', false],
    ['127.0.0.2', '443', false],
    ['::1', '443', false],
    ['[::1]', '443', false],
    ['::2', '443', true], // not loopback
    ['foobar.com', '443', false], // matches itself
    ['api.foobar.com', '443', false], // and its subdomains
    ['foofoobar.com', '443', true], // not a suffix at a dot
    ['barbaz.net', '443', true], // ".barbaz.net" is subdomains only
    ['a.barbaz.net', '443', false],
    ['x.wildcard.test', '443', false],
    ['wildcard.test', '443', true], // "*.x" is subdomains only
    ['10.1.2.3', '443', false], // CIDR
    ['11.1.2.3', '443', true],
    ['192.168.1.1', '6443', false], // IP without port: any port
    ['192.168.1.2', '443', true], // IP with port: only that port
    ['192.168.1.2', '8443', false],
    ['fd00::1', '443', false],
    ['fd00::1', '6443', true],
    ['fd00::2', '6443', false],
    ['fd01:1::5', '443', false], // IPv6 CIDR
    ['example.org', '443', true],
    ['example.org', '6443', false],
    ['API.FOOBAR.COM', '443', false], // case-insensitive
  ];
  for (const [host, port, want] of cases) {
    test(`${host}:${port} ${want ? 'through the proxy' : 'direct'}`, () => assert.equal(useEnvProxy(host, port, NO), want));
  }
  test('NO_PROXY=* bypasses everything; an empty NO_PROXY nothing', () => {
    assert.equal(useEnvProxy('api.example.com', '443', '*'), false);
    assert.equal(useEnvProxy('api.example.com', '443', ''), true);
  });

  const choose: { name: string; server: string; proxyUrl?: string; env: NodeJS.ProcessEnv; want: string | undefined }[] = [
    { name: 'no proxy anywhere', server: 'https://api.test', env: {}, want: undefined },
    { name: 'HTTPS_PROXY for https', server: 'https://api.test', env: { HTTPS_PROXY: 'http://p:3128', HTTP_PROXY: 'http://wrong:1' }, want: 'http://p:3128/ HTTPS_PROXY' },
    { name: 'https_proxy (lower case) when HTTPS_PROXY is unset', server: 'https://api.test', env: { https_proxy: 'http://low:3128' }, want: 'http://low:3128/ https_proxy' },
    { name: 'HTTPS_PROXY before https_proxy', server: 'https://api.test', env: { HTTPS_PROXY: 'http://up:1', https_proxy: 'http://low:2' }, want: 'http://up:1/ HTTPS_PROXY' },
    { name: 'HTTP_PROXY only for http servers', server: 'https://api.test', env: { HTTP_PROXY: 'http://p:3128' }, want: undefined },
    { name: 'HTTP_PROXY for an http server', server: 'http://api.test:8080', env: { HTTP_PROXY: 'http://p:3128' }, want: 'http://p:3128/ HTTP_PROXY' },
    { name: 'a proxy without scheme is http://', server: 'https://api.test', env: { HTTPS_PROXY: 'p.corp:3128' }, want: 'http://p.corp:3128/ HTTPS_PROXY' },
    { name: 'NO_PROXY', server: 'https://api.test', env: { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'api.test' }, want: undefined },
    { name: 'no_proxy (lower case)', server: 'https://api.test', env: { HTTPS_PROXY: 'http://p:1', no_proxy: '.test' }, want: undefined },
    { name: 'NO_PROXY with the default port', server: 'https://api.test', env: { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'api.test:443' }, want: undefined },
    { name: 'proxy-url wins over the environment', server: 'https://api.test', proxyUrl: 'socks5://s:1080', env: { HTTPS_PROXY: 'http://p:1' }, want: 'socks5://s:1080 proxy-url of cluster "c"' },
    { name: 'proxy-url ignores NO_PROXY and loopback', server: 'https://127.0.0.1:6443', proxyUrl: 'http://p:1', env: { NO_PROXY: '*' }, want: 'http://p:1/ proxy-url of cluster "c"' },
    { name: 'loopback never takes the env proxy', server: 'https://127.0.0.1:6443', env: { HTTPS_PROXY: 'http://p:1' }, want: undefined },
  ];
  for (const c of choose) {
    test(c.name, () => {
      const got = chooseProxy(new URL(c.server), c.proxyUrl, 'c', c.env);
      assert.equal(got ? `${got.url.href} ${got.source}` : undefined, c.want);
    });
  }

  test('a bad proxy-url or proxy variable is a one-line usage error without the password', () => {
    for (const [proxyUrl, env, re] of [
      ['ftp://u:secret@p:1', {}, /^invalid proxy-url "ftp:\/\/p:1\/" for cluster "c": unsupported scheme "ftp", it must be an http:\/\/, https:\/\/ or socks5:\/\/ URL/],
      ['p.corp:3128', {}, /^invalid proxy-url "p\.corp:3128" for cluster "c": unsupported scheme "p\.corp"/],
      [undefined, { HTTPS_PROXY: 'http://[bad' }, /^invalid proxy address in HTTPS_PROXY: expected a URL/],
      [undefined, { HTTPS_PROXY: 'socks4://u:secret@p:1' }, /^invalid proxy address in HTTPS_PROXY: expected a URL such as http:\/\/proxy\.example:3128; fix or unset HTTPS_PROXY$/],
    ] as const) {
      assert.throws(
        () => chooseProxy(new URL('https://api.test'), proxyUrl, 'c', env),
        (e) => e instanceof UsageError && re.test(e.message) && !e.message.includes('secret'),
      );
    }
  });
});

describe('requests go through the fake proxy', () => {
  test('proxy-url with userinfo: CONNECT api.test:443, Proxy-Authorization sent, the password never printed', async () => {
    reset();
    const log: string[] = [];
    assert.deepEqual(await get('https://api.test', {}, `http://alice:${PROXY_PASSWORD}@127.0.0.1:${proxyPort}`, log), { kind: 'PodList', items: [] });
    assert.deepEqual(connects, [{ target: 'api.test:443', auth: `Basic ${Buffer.from(`alice:${PROXY_PASSWORD}`).toString('base64')}` }]);
    assert.deepEqual(apiSeen, [{ host: 'api.test', auth: 'Bearer api-token' }]);
    assert.ok(log.length > 0 && !log.join('\n').includes(PROXY_PASSWORD));
  });

  test('HTTPS_PROXY from the environment', async () => {
    reset();
    await get('https://api.test:6443', { HTTPS_PROXY: `127.0.0.1:${proxyPort}` });
    assert.deepEqual(connects.map((c) => c.target), ['api.test:6443']);
  });

  test('NO_PROXY bypasses it (a direct connection to api.test, which does not resolve)', async () => {
    reset();
    const e = await failure(get('https://api.test', { HTTPS_PROXY: `http://127.0.0.1:${proxyPort}`, NO_PROXY: 'api.test' }));
    assert.match(e.message, /^cannot resolve the API server host of https:\/\/api\.test/);
    assert.deepEqual(connects, []);
  });

  test('a loopback server bypasses an environment proxy', async () => {
    reset();
    assert.deepEqual(await get(`https://127.0.0.1:${apiPort}`, { HTTPS_PROXY: `http://127.0.0.1:${proxyPort}` }), { kind: 'PodList', items: [] });
    assert.deepEqual(connects, []);
    assert.equal(apiSeen.length, 1);
  });

  test('https:// proxy (trusted through NODE_EXTRA_CA_CERTS, as Go trusts the system roots for it)', async () => {
    reset();
    // a child process: NODE_EXTRA_CA_CERTS is read at start-up only
    const script = join(tmp, 'via-tls-proxy.mts');
    const src = (f: string): string => JSON.stringify(join(import.meta.dirname, '..', '..', 'src', 'io', f));
    writeFileSync(
      script,
      [
        `import { readFileSync } from 'node:fs';`,
        `import { ApiClient } from ${src('http.ts')};`,
        `import { chooseProxy } from ${src('proxy.ts')};`,
        `const proxy = chooseProxy(new URL('https://api.test'), 'https://127.0.0.1:${tlsProxyPort}', 'c', {});`,
        `const c = new ApiClient({ server: 'https://api.test', ca: readFileSync(${JSON.stringify(join(T, 'server.crt'))}), headers: {}, proxy, timeoutMs: 10000, describe: 'u' }, { verbosity: 0, write: () => undefined });`,
        `console.log(JSON.stringify(await c.get('/api/v1/pods')));`,
        `c.close();`,
      ].join('\n'),
    );
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, NODE_EXTRA_CA_CERTS: join(T, 'server.crt') }, encoding: 'utf8' });
    assert.deepEqual(JSON.parse(stdout), { kind: 'PodList', items: [] });
    assert.deepEqual(connects.map((c) => c.target), ['tls api.test:443']);
  });

  test('socks5:// proxy-url: the proxy gets the host name, not an address', async () => {
    reset();
    assert.deepEqual(await get('https://api.test', {}, `socks5://127.0.0.1:${socksPort}`), { kind: 'PodList', items: [] });
    assert.deepEqual(socksSeen, ['api.test:443']);
  });

  const faults: { name: string; fault: Fault; proxy: () => string; message: RegExp }[] = [
    {
      name: '407: asks for credentials',
      fault: '407',
      proxy: () => `http://alice:${PROXY_PASSWORD}@127.0.0.1:${proxyPort}`,
      message: /cannot connect through proxy http:\/\/127\.0\.0\.1:\d+\/ \(proxy-url of cluster "c"\): the proxy wants credentials \(407 Proxy Authentication Required\)/,
    },
    { name: '403: refuses the tunnel', fault: '403', proxy: () => `http://127.0.0.1:${proxyPort}`, message: /the proxy refused the tunnel with HTTP 403; check the proxy or NO_PROXY$/ },
    { name: 'nothing listens', fault: 'ok', proxy: () => `http://127.0.0.1:${closedPort}`, message: /cannot connect through proxy http:\/\/127\.0\.0\.1:\d+\/ \(proxy-url of cluster "c"\): connection refused by the proxy/ },
    { name: 'socks proxy not listening', fault: 'ok', proxy: () => `socks5://u:${PROXY_PASSWORD}@127.0.0.1:${closedPort}`, message: /cannot connect through proxy socks5:\/\/127\.0\.0\.1:\d+ \(proxy-url of cluster "c"\): connection refused by the proxy/ },
  ];
  for (const f of faults) {
    test(`proxy fault: ${f.name}`, async () => {
      reset(f.fault);
      const e = await failure(get('https://api.test', {}, f.proxy()));
      assert.ok(e instanceof RuntimeError, String(e));
      assert.match(e.message, f.message);
      assert.ok(!e.message.includes('\n') && !e.message.includes(PROXY_PASSWORD), e.message);
      assert.equal(apiSeen.length, 0);
    });
  }

  test('from the kubeconfig: proxy-url and the user token reach the fake proxy and API server', async () => {
    reset();
    const kc = join(tmp, 'k.yaml');
    writeFileSync(
      kc,
      JSON.stringify({
        clusters: [{ name: 'c', cluster: { server: 'https://api.test', 'certificate-authority': join(T, 'server.crt'), 'proxy-url': `http://127.0.0.1:${proxyPort}` } }],
        users: [{ name: 'u', user: { token: 'kubeconfig-token' } }],
        contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'c',
      }),
    );
    const conn = resolveConnection({ kubeconfig: kc }, { HTTPS_PROXY: 'http://127.0.0.1:1' });
    const o = await httpsOptions(conn);
    const c = new ApiClient({ server: conn.server, ca: o.ca, headers: o.headers, proxy: conn.proxy, timeoutMs: 10_000, describe: 'u' }, { verbosity: 0, write: () => undefined });
    try {
      await c.get('/api/v1/pods');
    } finally {
      c.close();
    }
    assert.deepEqual(connects.map((x) => x.target), ['api.test:443']);
    assert.deepEqual(apiSeen, [{ host: 'api.test', auth: 'Bearer kubeconfig-token' }]);
  });
});
