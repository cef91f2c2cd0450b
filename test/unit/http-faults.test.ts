// FAULT-INJECTION FAKE SERVER, not a Kubernetes API server: a few lines of node:http that answer with
// the failures a real control plane will not produce on demand (429 with Retry-After, 500/503, dropped
// connections, an expired continue token, a server that never answers). Live behaviour is tested
// against the real control plane in test/e2e.

import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { ApiClient, ApiError, mapBounded, type Transport } from '../../src/io/http.ts';
import { RuntimeError } from '../../src/errors.ts';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void;

let server: http.Server;
let base = '';
let handler: Handler = (_q, res) => res.end('{}');
let hits = 0;
const paths: string[] = [];

before(async () => {
  server = http.createServer((req, res) => {
    hits++;
    paths.push(req.url ?? '');
    handler(req, res, hits);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

function client(timeoutMs = 0, log: string[] = []): ApiClient {
  const t: Transport = { server: base, headers: { Authorization: 'Bearer s3cr3t-token' }, timeoutMs, describe: 'user "tester" (context "fake")' };
  return new ApiClient(t, { verbosity: 6, write: (l) => log.push(l) });
}

function reset(h: Handler): void {
  handler = h;
  hits = 0;
  paths.length = 0;
}

function json(res: http.ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(code, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

const status = (code: number, reason: string, message: string): object => ({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message });

test('429 with Retry-After is retried after the advertised delay, then succeeds', async () => {
  reset((_q, res, n) => (n < 3 ? json(res, 429, status(429, 'TooManyRequests', 'slow down'), { 'Retry-After': '1' }) : json(res, 200, { ok: true })));
  const c = client();
  const t0 = Date.now();
  assert.deepEqual(await c.get('/api/v1/nodes'), { ok: true });
  assert.equal(hits, 3);
  assert.ok(Date.now() - t0 >= 1900, 'two Retry-After: 1 waits');
  c.close();
});

test('429 forever gives up after bounded retries with one line', async () => {
  reset((_q, res) => json(res, 429, status(429, 'TooManyRequests', 'slow down'), { 'Retry-After': '0' }));
  const c = client();
  await assert.rejects(c.get('/api/v1/nodes'), (e: unknown) => {
    assert.ok(e instanceof ApiError && e.status === 429);
    assert.match(e.message, /kept throttling GET \/api\/v1\/nodes \(429 Too Many Requests\) after 3 retries/);
    assert.ok(!e.message.includes('\n'));
    return true;
  });
  assert.equal(hits, 4);
  c.close();
});

test('503 on a read is retried; 500 that persists is one line with the server message', async () => {
  reset((_q, res, n) => (n === 1 ? json(res, 503, status(503, 'ServiceUnavailable', 'etcd leader changed')) : json(res, 200, { ok: 1 })));
  const c = client();
  assert.deepEqual(await c.get('/x'), { ok: 1 });
  reset((_q, res) => json(res, 500, status(500, 'InternalError', 'etcdserver: request timed out')));
  await assert.rejects(c.get('/apis/apps/v1/daemonsets'), /the API server failed on GET \/apis\/apps\/v1\/daemonsets with 500 Internal Server Error \(after 3 retries\): etcdserver: request timed out/);
  c.close();
});

test('a mutation is not retried on 500 (it may have been applied)', async () => {
  reset((_q, res) => json(res, 500, status(500, 'InternalError', 'boom')));
  const c = client();
  await assert.rejects(c.request('PATCH', '/apis/apps/v1/namespaces/a/daemonsets/b', { body: {} }), /500/);
  assert.equal(hits, 1);
  c.close();
});

test('a dropped connection on a read is retried, and reported in one line when it keeps dropping', async () => {
  reset((req, res, n) => (n === 1 ? req.socket.destroy() : json(res, 200, { ok: 2 })));
  const c = client();
  assert.deepEqual(await c.get('/y'), { ok: 2 });
  reset((req) => req.socket.destroy());
  await assert.rejects(c.get('/api/v1/pods'), (e: unknown) => {
    assert.ok(e instanceof RuntimeError);
    assert.match(e.message, /^the connection to http:\/\/127\.0\.0\.1:\d+ was dropped during GET \/api\/v1\/pods/);
    return true;
  });
  c.close();
});

test('401, 403, 404, 409 become one-line errors that never show the token', async () => {
  const c = client();
  const cases: [number, string, RegExp][] = [
    [401, 'Unauthorized', /^unauthorized \(401\) as user "tester" \(context "fake"\): the server rejected the credentials/],
    [403, 'Forbidden', /^forbidden \(403\): nodes is forbidden: User "tester" cannot list resource "nodes"/],
    [404, 'NotFound', /^not found \(404\): /],
    [409, 'Conflict', /^conflict \(409\): /],
  ];
  for (const [code, reason, re] of cases) {
    reset((_q, res) => json(res, code, status(code, reason, code === 403 ? 'nodes is forbidden: User "tester" cannot list resource "nodes" in API group "" at the cluster scope' : reason)));
    await assert.rejects(c.get('/api/v1/nodes'), (e: unknown) => {
      assert.ok(e instanceof ApiError);
      assert.equal(e.status, code);
      assert.match(e.message, re);
      assert.ok(!e.message.includes('s3cr3t'));
      return true;
    });
  }
  c.close();
});

test('pagination follows continue tokens with limit=500 and restarts on 410 Gone', async () => {
  let expiredOnce = false;
  reset((req, res) => {
    const u = new URL(req.url ?? '', base);
    assert.equal(u.searchParams.get('limit'), '500');
    const cont = u.searchParams.get('continue');
    if (cont === 'p2' && !expiredOnce) {
      expiredOnce = true;
      json(res, 410, status(410, 'Expired', 'The provided continue parameter is too old'));
      return;
    }
    const page = cont === null ? 1 : cont === 'p2' ? 2 : 3;
    json(res, 200, { items: [{ n: page }], metadata: { continue: page < 3 ? `p${page + 1}` : '', resourceVersion: '42' } });
  });
  const c = client();
  const r = await c.list<{ n: number }>('/api/v1/pods', { labelSelector: 'app=x' }, (it) => ({ n: it.n * 10 }));
  assert.deepEqual(r.items, [{ n: 10 }, { n: 20 }, { n: 30 }]);
  assert.equal(r.resourceVersion, '42');
  // first pass: p1, p2 (410); restart: p1, p2, p3
  assert.equal(hits, 5);
  assert.ok(paths.every((p) => p.includes('labelSelector=app%3Dx')));
  c.close();
});

test('--request-timeout bounds a request that never answers', async () => {
  reset(() => undefined);
  const c = client(300);
  await assert.rejects(c.get('/api/v1/nodes'), /GET \/api\/v1\/nodes to http:\/\/127\.0\.0\.1:\d+ timed out after --request-timeout 0\.3s/);
  c.close();
});

test('connection refused names the server and what to check', async () => {
  const probe = http.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const c = new ApiClient({ server: `http://127.0.0.1:${port}`, headers: {}, timeoutMs: 0, describe: 'x' }, { verbosity: 0, write: () => undefined });
  await assert.rejects(c.get('/api/v1/nodes'), new RegExp(`cannot reach the API server at http://127\\.0\\.0\\.1:${port}: connection refused`));
  c.close();
});

test('-v 6 logs each request with status and time, without headers', async () => {
  reset((_q, res) => json(res, 200, {}));
  const log: string[] = [];
  const c = client(0, log);
  await c.get('/api/v1/nodes/n1');
  assert.match(log[0] ?? '', /^GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/nodes\/n1 200 OK in \d+ milliseconds$/);
  assert.ok(!log.join('').includes('s3cr3t'));
  c.close();
});

test('mapBounded keeps order and never exceeds its limit', async () => {
  let inFlight = 0;
  let peak = 0;
  const out = await mapBounded([5, 1, 4, 2, 3, 0], 2, async (x) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    await new Promise((r) => setTimeout(r, x * 3));
    inFlight--;
    return x * 2;
  });
  assert.deepEqual(out, [10, 2, 8, 4, 6, 0]);
  assert.equal(peak, 2);
});
