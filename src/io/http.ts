// The one place that talks HTTP to the API server: one keep-alive connection pool per run, paginated
// lists (limit/continue, restart on 410 Gone as client-go's ListPager does), bounded retries for 429
// (honouring Retry-After), 5xx and dropped connections on reads, and one-line errors for every
// failure. Mutations are never retried blindly: a 409 surfaces as ConflictError for the caller.

import http from 'node:http';
import https from 'node:https';
import { RuntimeError } from '../errors.ts';
import { createAgent, type ProxyChoice } from './proxy.ts';

export interface Transport {
  server: string;
  ca?: Buffer | string | undefined;
  cert?: Buffer | string | undefined;
  key?: Buffer | string | undefined;
  rejectUnauthorized?: boolean | undefined;
  servername?: string | undefined;
  /** Authorization and other headers (bearer token, exec-plugin credential); never logged. A list is sent as repeated headers (Impersonate-Group). */
  headers: Record<string, string | string[]>;
  /** The proxy to connect through (io/proxy.ts chooseProxy); undefined = direct. */
  proxy?: ProxyChoice | undefined;
  /** --request-timeout in ms; 0 = none (a 30 s connect timeout still applies, as kubectl's dialer). */
  timeoutMs: number;
  /** Name of the kubeconfig user/context, for messages. */
  describe: string;
}

export interface HttpLog {
  verbosity: number;
  write(line: string): void;
}

/** An API error with the HTTP status and the server's Status message. */
export class ApiError extends RuntimeError {
  readonly status: number;
  readonly reason: string;
  constructor(message: string, status: number, reason: string) {
    super(message);
    this.status = status;
    this.reason = reason;
  }
}

export class ConflictError extends ApiError {}

interface KubeStatus {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
}

export interface ListResult<T> {
  items: T[];
  resourceVersion: string | undefined;
}

const MAX_RETRIES = 3;
const MAX_RETRY_AFTER_MS = 10_000;
const CONNECT_TIMEOUT_MS = 30_000;
const PAGE_LIMIT = 500;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function retryAfterMs(h: string | string[] | undefined, attempt: number): number {
  const v = Array.isArray(h) ? h[0] : h;
  const secs = v !== undefined ? Number(v) : NaN;
  const ms = Number.isFinite(secs) ? secs * 1000 : 250 * 2 ** attempt;
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

function statusText(code: number): string {
  return http.STATUS_CODES[code] ?? 'error';
}

/** Turn a Node network error into a one-line message saying what to check. */
function networkMessage(err: NodeJS.ErrnoException, server: string, method: string, path: string): string {
  const code = err.code ?? '';
  if (code === 'ECONNREFUSED') return `cannot reach the API server at ${server}: connection refused (is the cluster running? check --context or KUBECONFIG)`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot resolve the API server host of ${server} (${code}): check the cluster's server address in your kubeconfig`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `cannot reach the API server at ${server}: host unreachable (check your network or VPN)`;
  if (code === 'ECONNRESET' || code === 'EPIPE' || err.message === 'socket hang up') {
    return `the connection to ${server} was dropped during ${method} ${path} (${code || err.message}); try again, or check a proxy or load balancer in between`;
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|SSL/i.test(code) || /certificate|tls|ssl/i.test(err.message)) {
    return `TLS error talking to ${server}: ${err.message} (check certificate-authority in your kubeconfig; --insecure-skip-tls-verify only for tests)`;
  }
  return `request ${method} ${path} to ${server} failed: ${err.message}`;
}

export class ApiClient {
  private readonly agent: http.Agent;
  private readonly base: URL;
  private readonly mod: typeof https | typeof http;

  private readonly t: Transport;
  private readonly log: HttpLog;

  constructor(t: Transport, log: HttpLog) {
    this.t = t;
    this.log = log;
    this.base = new URL(t.server);
    this.mod = this.base.protocol === 'http:' ? http : https;
    const opts: https.AgentOptions = { keepAlive: true, maxSockets: 8 };
    if (this.mod === https) {
      if (t.ca) opts.ca = t.ca;
      if (t.cert) opts.cert = t.cert;
      if (t.key) opts.key = t.key;
      if (t.rejectUnauthorized === false) opts.rejectUnauthorized = false;
      if (t.servername) opts.servername = t.servername;
    }
    // direct, or through the proxy chosen from proxy-url / HTTPS_PROXY / NO_PROXY (io/proxy.ts)
    this.agent = createAgent(this.mod === https, opts, t.proxy);
  }

  close(): void {
    this.agent.destroy();
  }

  private url(path: string, query: Record<string, string | undefined> = {}): URL {
    const basePath = this.base.pathname.replace(/\/$/, '');
    const u = new URL(basePath + path, this.base);
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') u.searchParams.set(k, v);
    return u;
  }

  private once(method: string, u: URL, body: string | undefined, contentType: string | undefined): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | string[]> = { Accept: 'application/json', 'User-Agent': 'kubectl-ds_inspect', ...this.t.headers };
      if (body !== undefined) {
        headers['Content-Type'] = contentType ?? 'application/json';
        headers['Content-Length'] = String(Buffer.byteLength(body));
      }
      const req = this.mod.request(u, { method, agent: this.agent, headers });
      let timer: NodeJS.Timeout | undefined;
      const timeoutMs = this.t.timeoutMs > 0 ? this.t.timeoutMs : CONNECT_TIMEOUT_MS;
      const onTimeout = (): void => {
        const what = this.t.timeoutMs > 0 ? `--request-timeout ${this.t.timeoutMs / 1000}s` : 'the 30s connect timeout';
        req.destroy(Object.assign(new Error(`${method} ${u.pathname} to ${this.t.server} timed out after ${what}`), { code: 'ETIMEDOUT_DS' }));
      };
      timer = setTimeout(onTimeout, timeoutMs);
      if (this.t.timeoutMs <= 0) {
        // Without --request-timeout only connecting is bounded; a slow but live response may take its time.
        req.on('socket', (s) => {
          const clear = (): void => {
            if (timer) clearTimeout(timer);
            timer = undefined;
          };
          if (!s.connecting) clear();
          else s.once(this.mod === https ? 'secureConnect' : 'connect', clear);
        });
      }
      req.on('error', (e) => {
        if (timer) clearTimeout(timer);
        reject(e);
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => {
          if (timer) clearTimeout(timer);
          reject(e);
        });
        res.on('end', () => {
          if (timer) clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') });
        });
      });
      req.end(body);
    });
  }

  /** One request with bounded retries; returns parsed JSON or throws ApiError/RuntimeError. */
  async request<T>(method: string, path: string, opts: { query?: Record<string, string | undefined>; body?: unknown; contentType?: string } = {}): Promise<T> {
    const u = this.url(path, opts.query);
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const idempotent = method === 'GET';
    for (let attempt = 0; ; attempt++) {
      const started = Date.now();
      let res: Awaited<ReturnType<ApiClient['once']>>;
      try {
        res = await this.once(method, u, body, opts.contentType);
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (this.log.verbosity >= 6) this.log.write(`${method} ${u.href} failed after ${Date.now() - started} ms: ${err.code ?? err.message}`);
        const transient = err.code === 'ECONNRESET' || err.code === 'EPIPE' || err.message === 'socket hang up';
        if (transient && idempotent && attempt < MAX_RETRIES) {
          await sleep(200 * 2 ** attempt);
          continue;
        }
        if (err.code === 'ETIMEDOUT_DS') throw new RuntimeError(err.message, { cause: e });
        throw new RuntimeError(networkMessage(err, this.t.server, method, u.pathname), { cause: e });
      }
      if (this.log.verbosity >= 6) this.log.write(`${method} ${u.href} ${res.status} ${statusText(res.status)} in ${Date.now() - started} milliseconds`);
      if (res.status >= 200 && res.status < 300) {
        try {
          return JSON.parse(res.text) as T;
        } catch (e) {
          throw new RuntimeError(`the API server sent a response that is not JSON for ${method} ${u.pathname} (${res.text.slice(0, 60).replace(/\s+/g, ' ')}...)`, { cause: e });
        }
      }
      const retryable = res.status === 429 || (idempotent && (res.status === 500 || res.status === 502 || res.status === 503 || res.status === 504));
      if (retryable && attempt < MAX_RETRIES) {
        await sleep(retryAfterMs(res.headers['retry-after'], attempt));
        continue;
      }
      throw this.errorFor(method, u, res.status, res.text, attempt);
    }
  }

  private errorFor(method: string, u: URL, status: number, text: string, attempts: number): ApiError {
    let st: KubeStatus = {};
    try {
      st = JSON.parse(text) as KubeStatus;
    } catch {
      /* not a Status object */
    }
    const msg = st.message ?? (text.trim().split('\n')[0]?.slice(0, 200) || statusText(status));
    const where = `${method} ${u.pathname}`;
    switch (status) {
      case 401:
        return new ApiError(`unauthorized (401) as ${this.t.describe}: the server rejected the credentials; log in again or check the user in your kubeconfig`, status, 'Unauthorized');
      case 403:
        return new ApiError(`forbidden (403): ${msg}`, status, 'Forbidden');
      case 404:
        return new ApiError(`not found (404): ${msg}`, status, 'NotFound');
      case 409:
        return new ConflictError(`conflict (409): ${msg}`, status, 'Conflict');
      case 410:
        return new ApiError(`gone (410): ${msg}`, status, 'Expired');
      case 429:
        return new ApiError(`the API server kept throttling ${where} (429 Too Many Requests) after ${attempts} retries; try again later`, status, 'TooManyRequests');
      default:
        if (status >= 500) {
          const tried = attempts > 0 ? ` (after ${attempts} retries)` : '';
          return new ApiError(`the API server failed on ${where} with ${status} ${statusText(status)}${tried}: ${msg}`, status, st.reason ?? 'InternalError');
        }
        return new ApiError(`${where} failed with ${status} ${statusText(status)}: ${msg}`, status, st.reason ?? 'Unknown');
    }
  }

  get<T>(path: string, query?: Record<string, string | undefined>): Promise<T> {
    return this.request<T>('GET', path, query ? { query } : {});
  }

  /**
   * Every item of a list, page by page. An expired continue token (410) restarts the list from the
   * beginning, as client-go's pager does; `trim` runs on each item as it arrives so pages don't pile up.
   */
  async list<T>(path: string, query: Record<string, string | undefined>, trim: (item: T) => T = (x) => x): Promise<ListResult<T>> {
    for (let restart = 0; ; restart++) {
      const items: T[] = [];
      let cont: string | undefined;
      let rv: string | undefined;
      try {
        do {
          const page = await this.get<{ items?: T[]; metadata?: { continue?: string; resourceVersion?: string } }>(path, {
            ...query,
            limit: String(PAGE_LIMIT),
            continue: cont,
          });
          for (const it of page.items ?? []) items.push(trim(it));
          cont = page.metadata?.continue || undefined;
          rv = page.metadata?.resourceVersion;
        } while (cont);
        return { items, resourceVersion: rv };
      } catch (e) {
        if (e instanceof ApiError && e.status === 410 && cont !== undefined && restart < 2) continue;
        throw e;
      }
    }
  }
}

/** Run `fn` over `items` with at most `limit` in flight; results in input order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
