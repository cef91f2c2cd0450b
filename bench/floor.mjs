// The raw-fetch floor of the live benchmark: the time to GET exactly the lists
// `kubectl ds-inspect coverage -A -o json` reads, concurrently, bodies discarded (bench/floor/main.go,
// Go standard library only). The lists come from the tool's own request log (-v 6), the connection
// from the kubeconfig; the wire shape (HTTP/1.1 keep-alive, Accept: application/json, no gzip,
// limit=500 pages, at most 8 connections) is the tool's, see src/io/http.ts.

import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const SRC = join(dirname(fileURLToPath(import.meta.url)), 'floor');
/** The tool's pool: keep-alive agent with maxSockets 8, LIST_CONCURRENCY 8 (src/io/http.ts, src/io/live/reads.ts). */
const CONCURRENCY = 8;

/**
 * `go build` bench/floor into tmpDir (offline: stdlib only, local toolchain); reused while its sources
 * and the Go version are unchanged. CGO_ENABLED=0 and -trimpath as test/cluster/build.sh, so the
 * standard library compiled for the control plane is reused from the Go build cache.
 */
export function buildFloor(tmpDir) {
  const env = { ...process.env, GOTOOLCHAIN: 'local', GOPROXY: 'off', GOFLAGS: '', GOWORK: 'off', CGO_ENABLED: '0' };
  const h = createHash('sha256').update(execFileSync('go', ['version'], { env, encoding: 'utf8' }));
  for (const f of readdirSync(SRC).filter((f) => f.endsWith('.go') || f === 'go.mod').sort()) h.update(`${f}\0`).update(readFileSync(join(SRC, f)));
  const bin = join(tmpDir, `floor-${h.digest('hex').slice(0, 16)}`);
  if (existsSync(bin)) return bin;
  mkdirSync(tmpDir, { recursive: true });
  execFileSync('go', ['build', '-trimpath', '-o', bin, '.'], {
    cwd: SRC,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return bin;
}

/**
 * The kubeconfig's current context: server and credentials, file paths resolved against its directory.
 * Also what bench/live.mjs connects with.
 */
export function connection(kubeconfigPath) {
  const cfg = parse(readFileSync(kubeconfigPath, 'utf8')) ?? {};
  const named = (list, name, what) => {
    const e = (list ?? []).find((x) => x?.name === name);
    if (!e) throw new Error(`floor: ${kubeconfigPath}: no ${what} "${name}"`);
    return e;
  };
  const ctx = named(cfg.contexts, cfg['current-context'], 'context').context ?? {};
  const cluster = named(cfg.clusters, ctx.cluster, 'cluster').cluster ?? {};
  const user = ctx.user ? (named(cfg.users, ctx.user, 'user').user ?? {}) : {};
  if (user.exec || user['auth-provider'] || user.username) throw new Error(`floor: ${kubeconfigPath}: only client certificates and tokens are supported`);
  const file = (p) => (p ? (isAbsolute(p) ? p : resolve(dirname(kubeconfigPath), p)) : undefined);
  const pem = (b64) => (b64 ? Buffer.from(b64, 'base64').toString('utf8') : undefined);
  const plan = {
    server: cluster.server,
    ca: file(cluster['certificate-authority']),
    caPEM: pem(cluster['certificate-authority-data']),
    cert: file(user['client-certificate']),
    certPEM: pem(user['client-certificate-data']),
    key: file(user['client-key']),
    keyPEM: pem(user['client-key-data']),
    serverName: cluster['tls-server-name'],
    insecure: cluster['insecure-skip-tls-verify'] === true || undefined,
    token: user.token ?? (user.tokenFile ? readFileSync(file(user.tokenFile), 'utf8').trim() : undefined),
  };
  return Object.fromEntries(Object.entries(plan).filter(([, v]) => v !== undefined && v !== ''));
}

/**
 * The floor's plan: the connection from the kubeconfig, the lists from the stderr of
 * `kubectl ds-inspect coverage -A -o json -v 6`, whose request lines are
 * `I GET <url> <status> <text> in <n> milliseconds` (src/io/http.ts). Each 2xx GET without a
 * continue parameter is one list (path, query without limit/continue); a GET without limit was
 * not paginated by the tool and is fetched once.
 */
export function floorPlan(kubeconfigPath, toolVerboseStderr) {
  const conn = connection(kubeconfigPath);
  const basePath = new URL(conn.server).pathname.replace(/\/$/, '');
  const lists = [];
  for (const line of toolVerboseStderr.split('\n')) {
    const m = /^I GET (\S+) (\d{3}) .* in \d+ milliseconds$/.exec(line.trim());
    if (!m || m[2][0] !== '2') continue;
    const u = new URL(m[1]);
    if (u.searchParams.has('continue')) continue;
    const single = !u.searchParams.has('limit');
    u.searchParams.delete('limit');
    const query = Object.fromEntries(u.searchParams);
    const path = basePath && u.pathname.startsWith(basePath) ? u.pathname.slice(basePath.length) : u.pathname;
    lists.push({ path, ...(Object.keys(query).length ? { query } : {}), ...(single ? { single } : {}) });
  }
  if (lists.length === 0) throw new Error('floor: no GET of the tool in its -v 6 log');
  return { ...conn, concurrency: CONCURRENCY, lists };
}

/** Run the floor on a plan: its JSON line ({requests, bytes, wallSeconds, lists, connections, maxInFlight, proto}) plus processWallSeconds. */
export function runFloor(bin, plan) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(bin, [], { input: JSON.stringify(plan), encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 1 << 20 });
  const processWallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`floor exited ${r.status ?? r.signal}: ${(r.stderr || String(r.error ?? '')).trim()}`);
  return { ...JSON.parse(r.stdout.trim().split('\n').pop()), processWallSeconds };
}
