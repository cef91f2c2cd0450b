// FAULT-INJECTION FAKE SERVER, not a Kubernetes API server: a few lines of node:http that answer with
// the failures a real control plane will not produce on demand (429 with Retry-After, 500/503, dropped
// connections, an expired continue token, a server that never answers or trickles, a PATCH that is never
// answered, huge bodies, endless pagination, 200s that are not what was asked for, escape sequences).
// Live behaviour is tested against the real control plane in test/e2e.

import assert from 'node:assert/strict';
import http from 'node:http';
import { dirname } from 'node:path';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { ApiClient, ApiError, DEFAULT_LIMITS, OutcomeUnknownError, clientLimits, expectedKind, mapBounded, redactUserinfo, type ClientLimits, type Transport } from '../../src/io/http.ts';
import { patchDaemonSet } from '../../src/io/live/daemonsets.ts';
import type { DaemonSet } from '../../src/model/types.ts';
import { RuntimeError } from '../../src/errors.ts';
import { main } from '../../src/cli.ts';
import type { CliIO } from '../../src/runtime.ts';
import { fakeServerKubeconfig } from '../support/cli.ts';

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

/** A client with small limits, so the default bounds can be exercised in milliseconds. */
function limited(limits: Partial<ClientLimits>, opts: { timeoutMs?: number; server?: string; log?: string[]; verbosity?: number } = {}): ApiClient {
  const t: Transport = { server: opts.server ?? base, headers: { Authorization: 'Bearer s3cr3t-token' }, timeoutMs: opts.timeoutMs ?? 0, describe: 'user "tester" (context "fake")' };
  const log = opts.log ?? [];
  return new ApiClient(t, { verbosity: opts.verbosity ?? 6, write: (l) => log.push(l) }, { ...DEFAULT_LIMITS, ...limits });
}

/** The rejection of `p`, which must be a one-line RuntimeError. */
async function failure(p: Promise<unknown>): Promise<RuntimeError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof RuntimeError, `not a RuntimeError: ${String(e)}`);
    assert.ok(!e.message.includes('\n'), `more than one line: ${e.message}`);
    return e;
  }
  assert.fail('expected a rejection');
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
    json(res, 200, { kind: 'PodList', items: [{ metadata: { name: `p${page}` }, n: page }], metadata: { continue: page < 3 ? `p${page + 1}` : '', resourceVersion: '42' } });
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
  reset((_q, res) => json(res, 200, { kind: 'Node', metadata: { name: 'n1' } }));
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

// ---- hostile servers: nothing hangs, nothing grows without bound, nothing wrong passes as data

test('a server that accepts and never answers ends on the idle timeout without --request-timeout', async () => {
  reset(() => undefined);
  const c = limited({ idleTimeoutMs: 200 });
  const e = await failure(c.get('/api/v1/nodes'));
  assert.match(e.message, /^GET \/api\/v1\/nodes to http:\/\/127\.0\.0\.1:\d+ timed out: no data for 0\.2s \(the default idle timeout; --request-timeout sets your own bound\)$/);
  c.close();
});

test('a server that trickles bytes forever ends on the deadline', async () => {
  reset((_q, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write('{"items":[');
    const iv = setInterval(() => res.write(' '), 20);
    res.on('close', () => clearInterval(iv));
  });
  const c = limited({ idleTimeoutMs: 200, deadlineMs: 500 });
  const e = await failure(c.get('/api/v1/nodes'));
  assert.match(e.message, /timed out: no complete answer within 0\.5s \(the default deadline/);
  c.close();
});

test('a PATCH whose answer never comes is OutcomeUnknownError, never retried, never "try again"', async () => {
  const cases: [name: string, h: Handler][] = [
    ['no answer', () => undefined],
    ['connection dropped after the body arrived', (req) => req.on('data', () => undefined).on('end', () => req.socket.destroy())],
  ];
  for (const [name, h] of cases) {
    reset(h);
    const c = limited({ idleTimeoutMs: 200 });
    const e = await failure(c.request('PATCH', '/apis/apps/v1/namespaces/a/daemonsets/b', { body: { spec: {} } }));
    assert.ok(e instanceof OutcomeUnknownError, name);
    assert.match(e.message, /the PATCH was sent but no answer came back, so the change may or may not have been applied/, name);
    assert.doesNotMatch(e.message, /try again/, name);
    assert.equal(hits, 1, name);
    c.close();
  }
});

test('a PATCH that never reached the server is a plain error, not an unknown outcome', async () => {
  const probe = http.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const c = limited({}, { server: `http://127.0.0.1:${port}` });
  const e = await failure(c.request('PATCH', '/apis/apps/v1/namespaces/a/daemonsets/b', { body: {} }));
  assert.ok(!(e instanceof OutcomeUnknownError));
  assert.match(e.message, /connection refused/);
  c.close();
});

test('patchDaemonSet names the DaemonSet and the commands that show whether the change was applied', async () => {
  reset(() => undefined);
  const c = limited({ idleTimeoutMs: 200 });
  const ds: DaemonSet = { metadata: { name: 'fluentd', namespace: 'logging' }, spec: { template: {} } };
  const e = await failure(patchDaemonSet(c, ds, { spec: {} }, 'strategic', { env: {}, verb: 'rollout restart' }));
  assert.ok(e instanceof OutcomeUnknownError);
  assert.match(e.message, /^the change to daemonset "fluentd" in namespace "logging" may or may not have been applied/);
  assert.match(e.message, /kubectl ds-inspect rollout history fluentd -n logging/);
  assert.match(e.message, /kubectl ds-inspect rollout status fluentd -n logging/);
  assert.doesNotMatch(e.message, /try again|nothing was changed/);
  c.close();
});

test('a body over the per-response cap ends in one line, announced or streamed', async () => {
  const cases: [name: string, h: Handler, re: RegExp][] = [
    [
      'streamed',
      (_q, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const iv = setInterval(() => res.write(chunk), 1);
        res.on('close', () => clearInterval(iv));
      },
      /^the API server sent more than 1 MiB for GET \/api\/v1\/pods \(the per-response limit; narrow the scope with -n or --nodes, or raise DS_INSPECT_MAX_RESPONSE_BYTES\)$/,
    ],
    [
      'announced',
      (_q, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(600 * 1024 * 1024) });
        res.write('{');
      },
      /^the API server announced 629145600 bytes for GET \/api\/v1\/pods, more than 1 MiB/,
    ],
  ];
  for (const [name, h, re] of cases) {
    reset(h);
    const c = limited({ maxResponseBytes: 1024 * 1024 });
    assert.match((await failure(c.get('/api/v1/pods'))).message, re, name);
    c.close();
  }
});

test('the per-run byte cap counts every response of a look', async () => {
  const body = JSON.stringify({ kind: 'Node', metadata: { name: 'n' }, pad: 'x'.repeat(400 * 1024) });
  reset((_q, res) => json(res, 200, JSON.parse(body)));
  const c = limited({ maxRunBytes: 1024 * 1024 });
  await c.get('/api/v1/nodes/a');
  await c.get('/api/v1/nodes/b');
  // A new look (a poll of rollout status --watch) counts from zero.
  c.beginLoad();
  await c.get('/api/v1/nodes/a');
  await c.get('/api/v1/nodes/b');
  assert.match((await failure(c.get('/api/v1/nodes/c'))).message, /^this run received more than 1 MiB from the API server \(at GET \/api\/v1\/nodes\/c; the per-run limit/);
  c.close();
});

test('byte caps are overridable from the environment; bad values keep the defaults', () => {
  const cases: [env: NodeJS.ProcessEnv, response: number, run: number][] = [
    [{}, 256 * 1024 * 1024, 4096 * 1024 * 1024],
    [{ DS_INSPECT_MAX_RESPONSE_BYTES: '1000', DS_INSPECT_MAX_RUN_BYTES: '5000' }, 1000, 5000],
    [{ DS_INSPECT_MAX_RESPONSE_BYTES: '-1', DS_INSPECT_MAX_RUN_BYTES: 'lots' }, 256 * 1024 * 1024, 4096 * 1024 * 1024],
    [{ DS_INSPECT_MAX_RESPONSE_BYTES: '1.5', DS_INSPECT_MAX_RUN_BYTES: '' }, 256 * 1024 * 1024, 4096 * 1024 * 1024],
  ];
  for (const [env, response, run] of cases) {
    const l = clientLimits(env);
    assert.deepEqual([l.maxResponseBytes, l.maxRunBytes], [response, run], JSON.stringify(env));
  }
});

test('pagination stops on a repeated continue token and on the page cap', async () => {
  reset((_q, res) => json(res, 200, { kind: 'NodeList', items: [], metadata: { continue: 'same' } }));
  const c = limited({ maxPages: 5 });
  assert.match((await failure(c.list('/api/v1/nodes', {}))).message, /^the API server sent the same continue token twice while listing \/api\/v1\/nodes; stopping instead of looping/);
  assert.equal(hits, 2);
  c.close();
  reset((_q, res, n) => json(res, 200, { kind: 'NodeList', items: [], metadata: { continue: `p${n}` } }));
  const c2 = limited({ maxPages: 5 });
  assert.match((await failure(c2.list('/api/v1/nodes', {}))).message, /^listing \/api\/v1\/nodes did not end after 5 pages of 500; stopping/);
  assert.equal(hits, 5);
  c2.close();
});

test('a 200 that is not what was asked for is one line and exit 1, never an empty result', async () => {
  const cases: [name: string, path: string, body: string, re: RegExp][] = [
    ['failure Status', '/api/v1/nodes', JSON.stringify(status(500, 'InternalError', 'etcd is gone')), /with success but a failure Status \(InternalError\): etcd is gone$/],
    ['bare number', '/api/v1/nodes', '42', /with a bare number instead of an object; is http:\/\/127\.0\.0\.1:\d+ a Kubernetes API server\?/],
    ['bare string', '/api/v1/nodes', '"ok"', /with a bare string instead of an object/],
    ['array', '/api/v1/nodes', '[]', /with an array instead of an object/],
    ['null', '/api/v1/nodes', 'null', /with null instead of an object/],
    ['wrong list kind', '/api/v1/nodes', JSON.stringify({ kind: 'PodList', items: [] }), /^the API server answered GET \/api\/v1\/nodes with a PodList, not a NodeList/],
    ['items not a list', '/api/v1/nodes', JSON.stringify({ kind: 'NodeList', items: { a: 1 } }), /whose items are an object, not a list/],
    ['item not an object', '/api/v1/nodes', JSON.stringify({ kind: 'NodeList', items: [7] }), /whose item 0 is a bare number/],
    ['item without metadata', '/api/v1/namespaces/x/pods', JSON.stringify({ kind: 'PodList', items: [{ metadata: { name: 'a' } }, { spec: {} }] }), /with a PodList whose item 1 is an object without metadata/],
    ['wrong object kind', '/api/v1/nodes/n1', JSON.stringify({ kind: 'Pod', metadata: { name: 'n1' } }), /with a Pod, not a Node/],
    ['object without metadata', '/apis/apps/v1/namespaces/a/daemonsets/b', JSON.stringify({ kind: 'DaemonSet' }), /with a DaemonSet without metadata/],
    ['not JSON', '/api/v1/nodes', '<html>\x1b[2Jhello</html>', /^the API server sent a response that is not JSON for GET \/api\/v1\/nodes \(<html>\[2Jhello<\/html>\.\.\.\)/],
  ];
  for (const [name, path, body, re] of cases) {
    reset((_q, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(body);
    });
    const c = limited({});
    const e = await failure(path.endsWith('nodes') || path.endsWith('pods') ? c.list(path, {}) : c.get(path));
    assert.ok(!(e instanceof ApiError), name);
    assert.match(e.message, re, name);
    assert.ok(!e.message.includes('\x1b'), name);
    c.close();
  }
});

test('the kind a path asks for', () => {
  const cases: [string, ReturnType<typeof expectedKind>][] = [
    ['/api/v1/nodes', { kind: 'Node', list: true }],
    ['/api/v1/nodes/n1', { kind: 'Node', list: false }],
    ['/api/v1/pods', { kind: 'Pod', list: true }],
    ['/api/v1/namespaces/pods', { kind: 'Namespace', list: false }],
    ['/api/v1/namespaces/kube-system/pods', { kind: 'Pod', list: true }],
    ['/apis/apps/v1/namespaces/a/daemonsets/b', { kind: 'DaemonSet', list: false }],
    ['/apis/apps/v1/namespaces/a/controllerrevisions', { kind: 'ControllerRevision', list: true }],
    ['/apis/apps/v1/namespaces/a/daemonsets/b/status', undefined],
    ['/apis/example.com/v1/widgets', undefined],
    ['/version', undefined],
  ];
  for (const [path, want] of cases) assert.deepEqual(expectedKind(path), want, path);
});

test('once a request has failed for good, in-flight reads are aborted and report the first error', async () => {
  // /broken answers 200 with HTML (fails at once, not retried); /silent never answers.
  reset((req, res) => {
    if (req.url?.startsWith('/api/v1/nodes')) {
      res.writeHead(200);
      res.end('<html>proxy login</html>');
    }
  });
  const c = limited({});
  const silent = c.get('/api/v1/namespaces/a/pods/p').catch((e: unknown) => e);
  await new Promise((r) => setTimeout(r, 50));
  const first = await failure(c.get('/api/v1/nodes/n1'));
  const sibling = await silent;
  assert.equal(sibling, first, 'the sibling reports the first error, not its own');
  const before = hits;
  assert.equal(await failure(c.get('/api/v1/nodes')), first, 'later requests fail without a round trip');
  assert.equal(hits, before);
  c.close();
});

test('--request-timeout T: a sibling that keeps being retried is aborted when the first request times out', async () => {
  reset((req) => {
    if (req.url?.startsWith('/api/v1/pods')) setTimeout(() => req.socket.destroy(), 100);
  });
  const c = limited({}, { timeoutMs: 400 });
  const flaky = c.get('/api/v1/pods').catch((e: unknown) => e);
  const first = await failure(c.get('/api/v1/nodes'));
  assert.match(first.message, /timed out after --request-timeout 0\.4s/);
  assert.equal(await flaky, first);
  const podHits = paths.filter((p) => p.startsWith('/api/v1/pods')).length;
  assert.ok(podHits <= 3, `the flaky sibling was not retried past the failure (${podHits} attempts)`);
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(paths.filter((p) => p.startsWith('/api/v1/pods')).length, podHits, 'no retry after the run failed');
  c.close();
});

test('userinfo in the server URL and the Authorization header are never printed, even at -v 9', async () => {
  reset((req, res) => {
    if (req.url?.includes('gone')) req.socket.destroy();
    else if (req.url?.includes('missing')) json(res, 404, status(404, 'NotFound', 'nodes "missing" not found'));
    else json(res, 200, { kind: 'Node', metadata: { name: 'n1' } });
  });
  const log: string[] = [];
  const server = base.replace('http://', 'http://admin:hunter2@');
  const c = limited({}, { server, log, verbosity: 9 });
  const messages: string[] = [];
  await c.get('/api/v1/nodes/n1');
  messages.push((await failure(c.get('/api/v1/nodes/missing'))).message);
  messages.push((await failure(c.get('/api/v1/nodes/gone'))).message);
  c.close();
  const probe = http.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const refused = limited({}, { server: `http://admin:hunter2@127.0.0.1:${port}`, log, verbosity: 9 });
  messages.push((await failure(refused.get('/api/v1/nodes'))).message);
  refused.close();
  assert.ok(log.length >= 3, 'requests were logged');
  const printed = [...log, ...messages].join('\n');
  for (const secret of ['hunter2', 'admin', 's3cr3t', 'Authorization', 'Bearer']) assert.ok(!printed.includes(secret), `${secret} printed: ${printed}`);
  assert.match(messages.at(-1) ?? '', new RegExp(`cannot reach the API server at http://127\\.0\\.0\\.1:${port}: connection refused`));
});

test('redactUserinfo drops credentials from URLs in any text', () => {
  const cases: [string, string][] = [
    ['https://user:pass@host:6443', 'https://host:6443'],
    ['https://user@host/path?q=1', 'https://host/path?q=1'],
    ['https://us%40er:p@ss@host', 'https://host'],
    ['at https://a:b@h1 and http://c:d@h2/x', 'at https://h1 and http://h2/x'],
    ['https://host:6443/api', 'https://host:6443/api'],
    ['mail me@example.com', 'mail me@example.com'],
  ];
  for (const [input, want] of cases) assert.equal(redactUserinfo(input), want, input);
});

test('server text quoted in errors is stripped of escape sequences and line breaks', async () => {
  reset((_q, res) => json(res, 403, status(403, 'Forbidden', 'denied\x1b]0;pwned\x07 by\nwebhook\r\n\x1b[2Jpolicy')));
  const c = limited({});
  const e = await failure(c.get('/api/v1/nodes'));
  assert.equal(e.message, 'forbidden (403): denied]0;pwned by webhook [2Jpolicy');
  c.close();
});

// ---- the same faults through the command path: kubeconfig, live loader, rollout writes

async function runCli(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; err: string }> {
  const kubeconfig = fakeServerKubeconfig(base, { namespace: 'default', token: 's3cr3t-token' });
  const dir = dirname(kubeconfig);
  let err = '';
  const io: CliIO = {
    stdout: { write: () => true, isTTY: false },
    stderr: { write: (s: string) => (err += s), isTTY: false },
    env: { KUBECONFIG: kubeconfig, HOME: dir, ...env },
    readStdin: () => Promise.resolve(''),
    now: () => Date.now(),
  };
  return { code: await main(argv, io), err };
}

test('coverage against a server that never answers ends with the first timeout, each request sent once', async () => {
  reset(() => undefined);
  const r = await runCli(['coverage', '-A', '--request-timeout', '1s', '-v', '6']);
  assert.equal(r.code, 1);
  const errors = r.err.split('\n').filter((l) => l.startsWith('error:'));
  assert.equal(errors.length, 1, r.err);
  assert.match(errors[0]!, /^error: GET \/\S+ to http:\/\/127\.0\.0\.1:\d+ timed out after --request-timeout 1s$/);
  assert.ok(hits >= 1);
  assert.equal(new Set(paths).size, paths.length, `a request was repeated: ${paths.join(', ')}`);
  assert.ok(!r.err.includes('s3cr3t'), r.err);
});

test('rollout restart whose PATCH is never answered says the change may have been applied, exit 1', async () => {
  const dsObject = { kind: 'DaemonSet', apiVersion: 'apps/v1', metadata: { name: 'fluentd', namespace: 'default', resourceVersion: '7', uid: 'u1' }, spec: { selector: { matchLabels: { app: 'f' } }, template: { metadata: { labels: { app: 'f' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } };
  reset((req, res) => {
    if (req.method === 'GET') json(res, 200, dsObject);
    // PATCH: read the body, never answer.
    else req.resume();
  });
  const r = await runCli(['rollout', 'restart', 'fluentd', '--request-timeout', '1s']);
  assert.equal(r.code, 1, r.err);
  assert.match(r.err, /^error: the change to daemonset "fluentd" in namespace "default" may or may not have been applied \(PATCH \S+ to http:\/\/127\.0\.0\.1:\d+ timed out after --request-timeout 1s\); check with "kubectl ds-inspect rollout history fluentd -n default"/m);
  assert.doesNotMatch(r.err, /try again/);
  assert.equal(paths.filter((p) => p.includes('daemonsets/fluentd')).length, 2, 'one GET, one PATCH, no retry');
});

test('DS_INSPECT_MAX_RESPONSE_BYTES reaches the live client: an oversize list is one line, exit 1', async () => {
  reset((_q, res) => json(res, 200, { kind: 'NodeList', items: Array.from({ length: 50 }, (_, i) => ({ metadata: { name: `node-${i}` } })) }));
  const r = await runCli(['coverage', '-A'], { DS_INSPECT_MAX_RESPONSE_BYTES: '1000' });
  assert.equal(r.code, 1, r.err);
  assert.match(r.err, /^error: the API server sent more than 1000 bytes for GET \/api\/v1\/nodes \(the per-response limit; narrow the scope with -n or --nodes, or raise DS_INSPECT_MAX_RESPONSE_BYTES\)$/m);
});

test('a POST to a collection answers with the object; a dry run never answered is not an unknown outcome', async () => {
  reset((req, res) => {
    req.resume();
    req.on('end', () => json(res, 201, { kind: 'Pod', metadata: { name: 'p' }, spec: {} }));
  });
  const c = limited({ idleTimeoutMs: 200 });
  const pod = await c.request<{ kind: string }>('POST', '/api/v1/namespaces/a/pods', { body: {}, query: { dryRun: 'All' } });
  assert.equal(pod.kind, 'Pod');
  c.close();
  reset(() => undefined);
  const c2 = limited({ idleTimeoutMs: 200 });
  const e = await failure(c2.request('POST', '/api/v1/namespaces/a/pods', { body: {}, query: { dryRun: 'All' } }));
  assert.ok(!(e instanceof OutcomeUnknownError), e.message);
  assert.match(e.message, /^POST \/api\/v1\/namespaces\/a\/pods to http:\/\/127\.0\.0\.1:\d+ timed out: no data for 0\.2s/);
  c2.close();
});

test('a list page is read as it streams: items equal the whole-page parse, each trimmed as it arrives, in any chunking', async () => {
  const items = Array.from({ length: 300 }, (_, i) => ({ metadata: { name: `p-${i}`, namespace: 'x', managedFields: [{ manager: 'm'.repeat(200) }] }, spec: { nodeName: `n-${i}`, volumes: [{ name: 'v' }] } }));
  const body = Buffer.from(JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '7' }, items }));
  assert.ok(body.length > 64 * 1024);
  for (const size of [1, 7, 4096]) {
    reset((_q, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      let i = 0;
      const next = (): void => {
        // Many small writes, each flushed: the client sees chunks cut anywhere, inside strings and escapes.
        for (let k = 0; k < 50 && i < body.length; k++, i += size) res.write(body.subarray(i, i + size));
        if (i < body.length) setImmediate(next);
        else res.end();
      };
      next();
    });
    const c = limited({});
    const seen: string[] = [];
    const got = await c.list<{ metadata: { name: string; managedFields?: unknown } }>('/api/v1/namespaces/x/pods', {}, (it) => {
      seen.push(it.metadata.name);
      delete it.metadata.managedFields;
      return it;
    });
    assert.equal(got.resourceVersion, '7');
    assert.deepEqual(got.items, items.map((it) => ({ ...it, metadata: { name: it.metadata.name, namespace: 'x' } })), `chunks of ${size}`);
    assert.equal(seen.length, 300);
    c.close();
  }
});

test('a streamed page that goes wrong past its first 64 KiB is still one line, and a cut one is retried', async () => {
  const good = Array.from({ length: 300 }, (_, i) => JSON.stringify({ metadata: { name: `p-${i}`, pad: 'x'.repeat(300) } }));
  const cases: [name: string, body: string, re: RegExp][] = [
    ['a bad item', `{"kind":"PodList","items":[${good.join(',')},{"metadata":{"name":"q"},}]}`, /^the API server sent a response that is not JSON for GET \/api\/v1\/namespaces\/x\/pods \(item 300: .*\); is http/],
    ['an item without metadata', `{"kind":"PodList","items":[${good.join(',')},{"spec":{}}]}`, /with a PodList whose item 300 is an object without metadata/],
    ['a number among the items', `{"kind":"PodList","items":[${good.join(',')},7]}`, /whose item 300 is a bare number/],
    ['garbage after the object', `{"kind":"PodList","items":[${good.join(',')}]}<html>`, /not JSON for GET \/api\/v1\/namespaces\/x\/pods \(the JSON has more after the end of the object \(at byte \d+\)\)/],
    ['the wrong kind, after the items', `{"items":[${good.join(',')}],"kind":"NodeList"}`, /with a NodeList, not a PodList/],
    ['a failure Status with items', `{"items":[${good.join(',')}],"kind":"Status","status":"Failure","reason":"Boom","message":"no"}`, /with success but a failure Status \(Boom\): no$/],
  ];
  for (const [name, body, re] of cases) {
    reset((_q, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(body);
    });
    const c = limited({});
    const e = await failure(c.list('/api/v1/namespaces/x/pods', {}));
    assert.match(e.message, re, name);
    c.close();
  }
  // A body cut off mid-item (the connection dropped) is a transient failure: the page is asked again.
  const whole = `{"kind":"PodList","metadata":{"resourceVersion":"3"},"items":[${good.join(',')}]}`;
  reset((_q, res, n) => {
    if (n === 1) {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(whole.length) });
      res.write(whole.slice(0, 70_000));
      setTimeout(() => res.destroy(), 20);
      return;
    }
    json(res, 200, JSON.parse(whole));
  });
  const c = limited({});
  const got = await c.list('/api/v1/namespaces/x/pods', {});
  assert.equal(got.items.length, 300);
  assert.equal(hits, 2);
  c.close();
});
