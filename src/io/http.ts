// The one place that talks HTTP to the API server: one keep-alive connection pool per run, paginated
// lists (limit/continue, restart on 410 Gone as client-go's ListPager does), bounded retries for 429
// (honouring Retry-After), 5xx and dropped connections on reads, and one-line errors for every
// failure. Mutations are never retried blindly: a 409 surfaces as ConflictError for the caller, and a
// mutation sent but never answered is an OutcomeUnknownError (it may have been applied).
//
// Hostile servers: no call waits forever (see ClientLimits), no answer is held in memory without a
// bound, a 200 that is not what was asked for is an error rather than an empty result, and server
// text is stripped of terminal control characters before it is quoted. URL userinfo is never printed.

import http from 'node:http';
import https from 'node:https';
import { RuntimeError } from '../errors.ts';
import { safeText } from '../util/sanitize.ts';
import { JsonListSplitter, JsonSplitError } from './json-items.ts';
import { createAgent, type ProxyChoice } from './proxy.ts';
import { Sleepers } from '../util/sleepers.ts';

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
  /** --request-timeout in ms: bounds each request as a whole; 0 = the defaults of ClientLimits. */
  timeoutMs: number;
  /** Name of the kubeconfig user/context, for messages. */
  describe: string;
}

export interface HttpLog {
  verbosity: number;
  write(line: string): void;
}

/**
 * Bounds that hold for every run. Without --request-timeout a request may take long while data
 * flows (a 130,000-node list), but not forever: connecting is bounded as kubectl's dialer does
 * (30 s), a silent server by the idle timeout, a trickling one by the deadline. The byte caps keep a
 * runaway or hostile server from exhausting memory (a 600 MB body otherwise ends in V8's string
 * limit); the page cap stops a server that never ends a list.
 */
export interface ClientLimits {
  /** Without --request-timeout: time to connect (TCP and TLS). */
  connectTimeoutMs: number;
  /** Without --request-timeout: longest wait for the next byte once connected. */
  idleTimeoutMs: number;
  /** Without --request-timeout: longest time for one request, however the bytes trickle in. */
  deadlineMs: number;
  /** Largest single response body (DS_INSPECT_MAX_RESPONSE_BYTES). */
  maxResponseBytes: number;
  /** Largest total of response bodies in one run (DS_INSPECT_MAX_RUN_BYTES). */
  maxRunBytes: number;
  /** Most pages of one list (PAGE_LIMIT items each). */
  maxPages: number;
  /**
   * A watch's longest silence: longer than the server's bookmark interval (about a minute) and its
   * watch timeout, so a healthy quiet watch never trips it, a dead connection does.
   */
  watchIdleTimeoutMs: number;
}

const MIB = 1024 * 1024;

export const DEFAULT_LIMITS: ClientLimits = {
  connectTimeoutMs: 30_000,
  idleTimeoutMs: 60_000,
  deadlineMs: 10 * 60_000,
  maxResponseBytes: 256 * MIB,
  // List pages are streamed and trimmed (pageReader), so a run holds a fraction of what it reads: a
  // 5,000-node cluster with realistic pods reads about 1 GB (bench/results.json). 4 GiB still ends a
  // server that never stops sending.
  maxRunBytes: 4096 * MIB,
  // 10,000 pages of 500 = 5 million objects: far beyond any cluster, short of an endless loop.
  maxPages: 10_000,
  watchIdleTimeoutMs: 5 * 60_000,
};

/** The defaults, with the byte caps overridable from the environment (tests, unusually big clusters). */
export function clientLimits(env: NodeJS.ProcessEnv): ClientLimits {
  const bytes = (name: string, dflt: number): number => {
    const v = Number(env[name]);
    return env[name] !== undefined && Number.isSafeInteger(v) && v > 0 ? v : dflt;
  };
  return {
    ...DEFAULT_LIMITS,
    maxResponseBytes: bytes('DS_INSPECT_MAX_RESPONSE_BYTES', DEFAULT_LIMITS.maxResponseBytes),
    maxRunBytes: bytes('DS_INSPECT_MAX_RUN_BYTES', DEFAULT_LIMITS.maxRunBytes),
  };
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

/**
 * A mutation was sent and then the connection dropped or timed out before the answer: the server may
 * or may not have applied it. Never retried, never reported as "nothing changed".
 */
export class OutcomeUnknownError extends RuntimeError {
  /** What went wrong on the wire (timeout, dropped connection), for callers that word their own message. */
  readonly detail: string;
  constructor(message: string, detail: string, options?: { cause?: unknown }) {
    super(message, options);
    this.detail = detail;
  }
}

interface KubeStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
}

export interface ListResult<T> {
  items: T[];
  resourceVersion: string | undefined;
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body of an error reply, or of a 2xx one read without a BodyReader. */
  text: string;
  /** What the BodyReader made of a 2xx body. */
  value?: unknown;
}

/**
 * Reads a 2xx body as it streams (a list page, element by element) instead of holding it whole; one
 * per attempt. `write` may throw to reject the body; `end` returns the value.
 */
interface BodyReader {
  write(chunk: Buffer): void;
  end(): unknown;
}

interface RequestOpts {
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
  /** A new reader for each attempt's 2xx body (given the request's URL); without one the body is parsed whole (checkReply). */
  reader?: (u: URL) => BodyReader;
}

/**
 * A watch connection ended in a way that is worth resuming (dropped, timed out, a 5xx or 429): the
 * caller reconnects from its last resourceVersion, with backoff. Anything else a watch throws is final.
 */
export class WatchDropped extends RuntimeError {}

/** A transport failure from once(); `sent` tells whether the whole request had gone out. */
type WireError = NodeJS.ErrnoException & { sent?: boolean };

const MAX_RETRIES = 3;
const MAX_RETRY_AFTER_MS = 10_000;
const PAGE_LIMIT = 500;

const TIMEOUT = 'ETIMEDOUT_DS';
const TOO_LARGE = 'ETOOLARGE_DS';
const ABORTED = 'EABORTED_DS';
/** A BodyReader rejected a 2xx body: its message is the answer, not a network failure. */
const BAD_BODY = 'EBADBODY_DS';

function retryAfterMs(h: string | string[] | undefined, attempt: number): number {
  const v = Array.isArray(h) ? h[0] : h;
  const secs = v !== undefined ? Number(v) : NaN;
  const ms = Number.isFinite(secs) ? secs * 1000 : 250 * 2 ** attempt;
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

function statusText(code: number): string {
  return http.STATUS_CODES[code] ?? 'error';
}

function seconds(ms: number): string {
  return ms % 60_000 === 0 && ms >= 60_000 ? `${ms / 60_000}m` : `${ms / 1000}s`;
}

function sizeText(n: number): string {
  return n >= MIB && n % MIB === 0 ? `${n / MIB} MiB` : `${n} bytes`;
}

/** `https://user:pass@host` -> `https://host`: userinfo (basic-auth credentials) is never printed. */
export function redactUserinfo(s: string): string {
  return s.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/?#\s]*@/gi, '$1');
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
    return `TLS error talking to ${server}: ${safeText(err.message)} (check certificate-authority in your kubeconfig; --insecure-skip-tls-verify only for tests)`;
  }
  return `request ${method} ${path} to ${server} failed: ${safeText(err.message)}`;
}

/** What a path asks for: `/api/v1/nodes` a NodeList, `/api/v1/nodes/n1` a Node; undefined if unknown. */
const KIND_OF_RESOURCE: Record<string, string> = {
  nodes: 'Node',
  pods: 'Pod',
  daemonsets: 'DaemonSet',
  controllerrevisions: 'ControllerRevision',
  events: 'Event',
  namespaces: 'Namespace',
};

export function expectedKind(path: string): { kind: string; list: boolean } | undefined {
  const segs = path.split('?')[0]!.split('/').filter(Boolean);
  let rest = segs[0] === 'api' ? segs.slice(2) : segs[0] === 'apis' ? segs.slice(3) : [];
  if (rest[0] === 'namespaces' && rest.length >= 3) rest = rest.slice(2);
  const kind = rest[0] !== undefined && Object.hasOwn(KIND_OF_RESOURCE, rest[0]) ? KIND_OF_RESOURCE[rest[0]]! : undefined;
  if (kind === undefined || rest.length > 2) return undefined;
  return { kind, list: rest.length === 1 };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `a bare ${typeof v}`;
}

export class ApiClient {
  private readonly agent: http.Agent;
  private readonly base: URL;
  private readonly mod: typeof https | typeof http;

  private readonly t: Transport;
  private readonly log: HttpLog;
  private readonly limits: ClientLimits;
  /** The first failure that ends the run; later and in-flight requests report it instead of their own. */
  private fatal: RuntimeError | undefined;
  private readonly inFlight = new Set<{ method: string; kill: (e: Error) => void }>();
  private readonly sleepers = new Sleepers();
  private runBytes = 0;
  /** Requests made (watches among them) and bytes received, all run long: the benchmark's figures (session.ts). */
  readonly traffic = { requests: 0, watches: 0, bytesReceived: 0 };

  constructor(t: Transport, log: HttpLog, limits: ClientLimits = DEFAULT_LIMITS) {
    this.t = t;
    this.log = log;
    this.limits = limits;
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
    this.fatal ??= new RuntimeError('internal error: a request was made after the API client was closed');
    this.abortInFlight(() => true);
    this.agent.destroy();
  }

  /**
   * A new look at the cluster through the same client (each poll of `rollout status --watch`): the
   * per-run byte cap counts from here, since the previous look's answers are no longer held.
   */
  beginLoad(): void {
    this.runBytes = 0;
  }

  /** The server for messages, without userinfo. */
  private get server(): string {
    return redactUserinfo(this.t.server);
  }

  private url(path: string, query: Record<string, string | undefined> = {}): URL {
    const basePath = this.base.pathname.replace(/\/$/, '');
    const u = new URL(basePath + path, this.base);
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') u.searchParams.set(k, v);
    return u;
  }

  private shown(u: URL): string {
    return redactUserinfo(u.href);
  }

  /**
   * The run has failed for good: remember the first error, wake retry sleeps and abort in-flight
   * reads so the run ends now rather than when each sibling times out. In-flight writes are left to
   * finish (bounded by the same timeouts): aborting one would make its outcome unknown.
   */
  private failRun(e: unknown): void {
    if (this.fatal || !(e instanceof RuntimeError)) return;
    this.fatal = e;
    this.sleepers.wakeAll();
    this.abortInFlight((m) => m === 'GET');
  }

  /** A method, not an inline check: TypeScript would keep a narrowing of `fatal` across awaits. */
  private throwIfFailed(): void {
    if (this.fatal) throw this.fatal;
  }

  private abortInFlight(which: (method: string) => boolean): void {
    for (const f of this.inFlight) {
      if (which(f.method)) f.kill(Object.assign(new Error('aborted: another request of this run failed'), { code: ABORTED }));
    }
  }

  private once(method: string, u: URL, body: string | undefined, contentType: string | undefined, reader?: BodyReader): Promise<Reply> {
    this.traffic.requests++;
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | string[]> = { Accept: 'application/json', 'User-Agent': 'kubectl-ds_inspect', ...this.t.headers };
      if (body !== undefined) {
        headers['Content-Type'] = contentType ?? 'application/json';
        headers['Content-Length'] = String(Buffer.byteLength(body));
      }
      const req = this.mod.request(u, { method, agent: this.agent, headers });
      const where = `${method} ${u.pathname} to ${this.server}`;
      const L = this.limits;
      let sent = false;
      let settled = false;
      const timers = new Map<string, NodeJS.Timeout>();
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        for (const t of timers.values()) clearTimeout(t);
        timers.clear();
        this.inFlight.delete(entry);
        return true;
      };
      const fail = (e: WireError): void => {
        if (!settle()) return;
        e.sent ??= sent;
        reject(e);
      };
      // Our own failures (timeouts, caps, aborts) settle first, then tear the request down.
      const kill = (e: Error): void => {
        fail(e);
        req.destroy();
      };
      const entry = { method, kill };
      this.inFlight.add(entry);
      const arm = (name: string, ms: number, message: string): void => {
        // Never after settling: a late socket or data event would leave a timer holding the process.
        if (settled) return;
        clearTimeout(timers.get(name));
        timers.set(name, setTimeout(() => kill(Object.assign(new Error(message), { code: TIMEOUT })), ms));
      };
      const disarm = (name: string): void => {
        clearTimeout(timers.get(name));
        timers.delete(name);
      };
      const idleMessage = `${where} timed out: no data for ${seconds(L.idleTimeoutMs)} (the default idle timeout; --request-timeout sets your own bound)`;
      if (this.t.timeoutMs > 0) {
        // --request-timeout bounds the whole request, as kubectl's does; it replaces the defaults.
        arm('request', this.t.timeoutMs, `${where} timed out after --request-timeout ${this.t.timeoutMs / 1000}s`);
      } else {
        arm('deadline', L.deadlineMs, `${where} timed out: no complete answer within ${seconds(L.deadlineMs)} (the default deadline; --request-timeout sets your own bound)`);
        arm('connect', L.connectTimeoutMs, `${where} timed out after the ${seconds(L.connectTimeoutMs)} connect timeout`);
        req.on('socket', (s) => {
          const connected = (): void => {
            disarm('connect');
            arm('idle', L.idleTimeoutMs, idleMessage);
          };
          if (!s.connecting) connected();
          else s.once(this.mod === https ? 'secureConnect' : 'connect', connected);
        });
      }
      const tooLarge = (message: string): void => kill(Object.assign(new Error(message), { code: TOO_LARGE }));
      const capHint = '(the per-response limit; narrow the scope with -n or --nodes, or raise DS_INSPECT_MAX_RESPONSE_BYTES)';
      req.on('finish', () => {
        sent = true;
      });
      req.on('error', fail);
      req.on('response', (res) => {
        const idle = (): void => {
          if (timers.has('idle')) arm('idle', L.idleTimeoutMs, idleMessage);
        };
        idle();
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > L.maxResponseBytes) {
          tooLarge(`the API server announced ${declared} bytes for ${method} ${u.pathname}, more than ${sizeText(L.maxResponseBytes)} ${capHint}`);
          return;
        }
        const chunks: Buffer[] = [];
        let received = 0;
        // A 2xx body with a reader streams through it; anything else (an error's Status) is collected.
        const streaming = reader !== undefined && (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300;
        res.on('data', (c: Buffer) => {
          if (settled) return;
          idle();
          received += c.length;
          this.runBytes += c.length;
          this.traffic.bytesReceived += c.length;
          if (received > L.maxResponseBytes) {
            tooLarge(`the API server sent more than ${sizeText(L.maxResponseBytes)} for ${method} ${u.pathname} ${capHint}`);
          } else if (this.runBytes > L.maxRunBytes) {
            tooLarge(`this run received more than ${sizeText(L.maxRunBytes)} from the API server (at ${method} ${u.pathname}; the per-run limit: narrow the scope with -n or --nodes, or raise DS_INSPECT_MAX_RUN_BYTES)`);
          } else if (streaming) {
            try {
              reader.write(c);
            } catch (e) {
              kill(Object.assign(e as Error, { code: BAD_BODY }));
            }
          } else {
            chunks.push(c);
          }
        });
        res.on('error', (e: WireError) => {
          e.sent = true;
          fail(e);
        });
        res.on('aborted', () => fail(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', sent: true })));
        res.on('end', () => {
          if (settled) return;
          let value: unknown;
          if (streaming) {
            try {
              value = reader.end();
            } catch (e) {
              kill(Object.assign(e as Error, { code: BAD_BODY }));
              return;
            }
          }
          if (!settle()) return;
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: streaming ? '' : Buffer.concat(chunks).toString('utf8'), value });
        });
      });
      req.end(body);
    });
  }

  /** One request with bounded retries; returns parsed JSON or throws ApiError/RuntimeError. */
  async request<T>(method: string, path: string, opts: RequestOpts = {}): Promise<T> {
    this.throwIfFailed();
    try {
      return await this.attempts<T>(method, path, opts);
    } catch (e) {
      this.throwIfFailed();
      // API errors (403, 404, 409...) are answers the caller may handle; anything else ends the run.
      if (!(e instanceof ApiError)) this.failRun(e);
      throw e;
    }
  }

  private async attempts<T>(method: string, path: string, opts: RequestOpts): Promise<T> {
    const u = this.url(path, opts.query);
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const idempotent = method === 'GET';
    for (let attempt = 0; ; attempt++) {
      this.throwIfFailed();
      const started = Date.now();
      let res: Reply;
      try {
        res = await this.once(method, u, body, opts.contentType, opts.reader?.(u));
      } catch (e) {
        const err = e as WireError;
        if (err.code === ABORTED) this.throwIfFailed();
        if (this.log.verbosity >= 6) this.log.write(`${method} ${this.shown(u)} failed after ${Date.now() - started} ms: ${err.code ?? safeText(err.message)}`);
        if (err.code === TOO_LARGE || err.code === BAD_BODY) throw new RuntimeError(err.message, { cause: e });
        const transient = err.code === 'ECONNRESET' || err.code === 'EPIPE' || err.message === 'socket hang up';
        if (transient && idempotent && attempt < MAX_RETRIES) {
          await this.sleepers.sleep(200 * 2 ** attempt);
          continue;
        }
        const what = err.code === TIMEOUT ? err.message : networkMessage(err, this.server, method, u.pathname);
        // A dry run (dryRun=All) stores nothing, so its outcome is never in doubt.
        if (!idempotent && err.sent && opts.query?.dryRun === undefined) {
          const detail = what.replace(/; try again, or check a proxy or load balancer in between$/, '');
          throw new OutcomeUnknownError(
            `${detail}: the ${method} was sent but no answer came back, so the change may or may not have been applied; look at the object before repeating it`,
            detail,
            { cause: e },
          );
        }
        throw new RuntimeError(what, { cause: e });
      }
      if (this.log.verbosity >= 6) this.log.write(`${method} ${this.shown(u)} ${res.status} ${statusText(res.status)} in ${Date.now() - started} milliseconds`);
      if (res.status >= 200 && res.status < 300) return (opts.reader ? res.value : this.checkReply(method, u, path, res.text)) as T;
      const retryable = res.status === 429 || (idempotent && (res.status === 500 || res.status === 502 || res.status === 503 || res.status === 504));
      if (retryable && attempt < MAX_RETRIES) {
        await this.sleepers.sleep(retryAfterMs(res.headers['retry-after'], attempt));
        continue;
      }
      throw this.errorFor(method, u, res.status, res.text, attempt);
    }
  }

  /**
   * A 2xx body must be what the path asks for: a JSON object, not a failure Status; for a list path
   * the matching List kind (when the server names one) with object items that carry metadata. An
   * answer from something that is not an API server is then an error, not an empty cluster.
   */
  private checkReply(method: string, u: URL, path: string, text: string): unknown {
    const where = `${method} ${u.pathname}`;
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch (e) {
      throw new RuntimeError(`the API server sent a response that is not JSON for ${where} (${safeText(text.slice(0, 60))}...); ${this.notApi}`, { cause: e });
    }
    if (!isObject(v)) throw new RuntimeError(`the API server answered ${where} with ${jsonType(v)} instead of an object; ${this.notApi}`);
    const kind = v.kind;
    this.checkStatus(where, v);
    const expect = expectedKind(path);
    if (!expect) return v;
    // Only a GET of a collection answers with a list; a POST to it answers with the created object.
    if (!expect.list || method !== 'GET') {
      if (method === 'DELETE' && kind === 'Status') return v;
      if (typeof kind === 'string' && kind !== expect.kind) throw new RuntimeError(`the API server answered ${where} with a ${safeText(kind)}, not a ${expect.kind}; ${this.notApi}`);
      if (!isObject(v.metadata)) throw new RuntimeError(`the API server answered ${where} with a ${expect.kind} without metadata; ${this.notApi}`);
      return v;
    }
    const listKind = `${expect.kind}List`;
    this.checkListKind(where, listKind, kind);
    const items = v.items;
    this.checkItems(where, listKind, items);
    for (const [i, it] of ((items ?? []) as unknown[]).entries()) this.checkItem(where, listKind, i, it);
    this.checkListMetadata(where, listKind, v.metadata);
    return v;
  }

  private get notApi(): string {
    return `is ${this.server} a Kubernetes API server? check the server address in your kubeconfig`;
  }

  /** A 2xx carrying a failure Status is an error, not an object. */
  private checkStatus(where: string, v: Record<string, unknown>): void {
    if (v.kind !== 'Status' || v.status === 'Success') return;
    const st = v as KubeStatus;
    const msg = typeof st.message === 'string' ? safeText(st.message) : 'no message';
    throw new RuntimeError(`the API server answered ${where} with success but a failure Status (${typeof st.reason === 'string' ? safeText(st.reason) : 'no reason'}): ${msg}`);
  }

  private checkListKind(where: string, listKind: string, kind: unknown): void {
    if (typeof kind === 'string' && kind !== listKind) throw new RuntimeError(`the API server answered ${where} with a ${safeText(kind)}, not a ${listKind}; ${this.notApi}`);
  }

  private checkItems(where: string, listKind: string, items: unknown): void {
    if (items !== undefined && items !== null && !Array.isArray(items)) throw new RuntimeError(`the API server answered ${where} with a ${listKind} whose items are ${jsonType(items)}, not a list; ${this.notApi}`);
  }

  private checkItem(where: string, listKind: string, i: number, it: unknown): void {
    if (!isObject(it) || !isObject(it.metadata)) {
      throw new RuntimeError(`the API server answered ${where} with a ${listKind} whose item ${i} is ${isObject(it) ? 'an object without metadata' : jsonType(it)}; ${this.notApi}`);
    }
  }

  private checkListMetadata(where: string, listKind: string, metadata: unknown): void {
    if (metadata !== undefined && !isObject(metadata)) throw new RuntimeError(`the API server answered ${where} with a ${listKind} whose metadata is ${jsonType(metadata)}; ${this.notApi}`);
  }

  /**
   * One page of a list read as it streams (issue 14): each item is parsed on its own, checked as
   * checkReply checks a whole page, and trimmed at once, so a page of 500 pods is never one object
   * tree and what stays in memory is the trimmed items. A body that is not a JSON object is judged
   * by checkReply on the bytes kept (the first 64 KiB), for the same one-line answers.
   */
  private pageReader<T>(u: URL, path: string, trim: (item: T) => T, skip?: readonly string[]): BodyReader {
    const where = `GET ${u.pathname}`;
    // As checkReply: a path of no known kind is not checked for its kind or items (only JSON and Status).
    const expect = expectedKind(path);
    const listKind = expect?.list ? `${expect.kind}List` : undefined;
    const items: T[] = [];
    const top: Record<string, unknown> = {};
    const KEEP = 64 * 1024;
    let head: Buffer[] = [];
    let total = 0;
    let rejected: JsonSplitError | undefined;
    const splitter = new JsonListSplitter(
      {
      item: (text) => {
        let it: unknown;
        try {
          it = JSON.parse(text);
        } catch (e) {
          throw new RuntimeError(`the API server sent a response that is not JSON for ${where} (item ${items.length}: ${safeText((e as Error).message.slice(0, 80))}); ${this.notApi}`, { cause: e });
        }
        if (listKind) this.checkItem(where, listKind, items.length, it);
        items.push(trim(it as T));
      },
      member: (key, value) => {
        top[key] = value;
        if (listKind && key === 'kind' && value !== 'Status') this.checkListKind(where, listKind, value);
        if (listKind && key === 'items') this.checkItems(where, listKind, value);
      },
      },
      { skip },
    );
    return {
      write: (chunk) => {
        total += chunk.length;
        if (total <= KEEP) head.push(chunk);
        else head = [];
        if (rejected) return;
        try {
          splitter.write(chunk);
        } catch (e) {
          if (!(e instanceof JsonSplitError)) throw e;
          rejected = e;
        }
      },
      end: () => {
        if (!rejected) {
          try {
            splitter.end();
          } catch (e) {
            if (!(e instanceof JsonSplitError)) throw e;
            rejected = e;
          }
        }
        if (rejected) {
          if (total <= KEEP) {
            const v = this.checkReply('GET', u, path, Buffer.concat(head).toString('utf8')) as { items?: T[] | null; metadata?: unknown };
            return { items: (v.items ?? []).map(trim), metadata: v.metadata };
          }
          throw new RuntimeError(`the API server sent a response that is not JSON for ${where} (${rejected.message}); ${this.notApi}`);
        }
        this.checkStatus(where, top);
        if (listKind) this.checkListMetadata(where, listKind, top.metadata);
        return { items, metadata: top.metadata };
      },
    };
  }

  private errorFor(method: string, u: URL, status: number, text: string, attempts: number): ApiError {
    let st: KubeStatus = {};
    try {
      const parsed: unknown = JSON.parse(text);
      if (isObject(parsed)) st = parsed;
    } catch {
      /* not a Status object */
    }
    const raw = typeof st.message === 'string' ? st.message : text.trim().split('\n')[0]?.slice(0, 200) || statusText(status);
    const msg = safeText(raw);
    const reason = typeof st.reason === 'string' ? safeText(st.reason) : undefined;
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
          return new ApiError(`the API server failed on ${where} with ${status} ${statusText(status)}${tried}: ${msg}`, status, reason ?? 'InternalError');
        }
        return new ApiError(`${where} failed with ${status} ${statusText(status)}: ${msg}`, status, reason ?? 'Unknown');
    }
  }

  /**
   * A watch (`?watch=true`): the response is one JSON event per line, read as it streams and handed to
   * `onLine` one line at a time, never held whole. Resolves when the server ends the stream (its
   * timeoutSeconds), so the caller resumes from its last resourceVersion.
   *
   * Limits, with the intent of `once()`: connecting is bounded as for any request (or by
   * --request-timeout, which here bounds the wait for the response headers, since a watch has no
   * "whole request" to bound); silence by watchIdleTimeoutMs; each line (one event, one object) by
   * maxResponseBytes. The bytes are not added to the per-run cap: that cap bounds what a run holds at
   * once, and an event is applied and dropped, while a watch may run for days.
   */
  watch(path: string, query: Record<string, string | undefined>, onLine: (line: string) => void): Promise<void> {
    this.throwIfFailed();
    const u = this.url(path, { ...query, watch: 'true' });
    const L = this.limits;
    const where = `watch ${u.pathname} on ${this.server}`;
    this.traffic.requests++;
    this.traffic.watches++;
    return new Promise<void>((resolve, reject) => {
      const headers: Record<string, string | string[]> = { Accept: 'application/json', 'User-Agent': 'kubectl-ds_inspect', ...this.t.headers };
      const req = this.mod.request(u, { method: 'GET', agent: this.agent, headers });
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        clearTimeout(timer);
        this.inFlight.delete(entry);
        return true;
      };
      const finish = (e: Error | undefined): void => {
        if (!settle()) return;
        if (e) reject(e);
        else resolve();
      };
      const kill = (e: Error): void => {
        finish(e);
        req.destroy();
      };
      // An abort from close() or another request's failure: the run's own error, or a quiet end.
      const entry = { method: 'GET', kill: () => kill(this.fatal ?? new WatchDropped(`${where} was aborted`)) };
      this.inFlight.add(entry);
      const arm = (ms: number, message: string): void => {
        if (settled) return;
        clearTimeout(timer);
        timer = setTimeout(() => kill(new WatchDropped(message)), ms);
      };
      const idle = (): void => arm(L.watchIdleTimeoutMs, `${where} timed out: no data for ${seconds(L.watchIdleTimeoutMs)}`);
      if (this.t.timeoutMs > 0) arm(this.t.timeoutMs, `${where} got no answer within --request-timeout ${this.t.timeoutMs / 1000}s`);
      else arm(L.connectTimeoutMs, `${where} timed out after the ${seconds(L.connectTimeoutMs)} connect timeout`);
      req.on('error', (e: NodeJS.ErrnoException) => finish(new WatchDropped(networkMessage(e, this.server, 'GET', u.pathname), { cause: e })));
      req.on('response', (res) => {
        idle();
        const status = res.statusCode ?? 0;
        if (this.log.verbosity >= 6) this.log.write(`GET ${this.shown(u)} ${status} ${statusText(status)} (watch)`);
        if (status < 200 || status >= 300) {
          // An error answer is a Status object: read a bounded amount of it for the message.
          const chunks: Buffer[] = [];
          let n = 0;
          res.on('data', (c: Buffer) => {
            if (n < 64 * 1024) chunks.push(c);
            n += c.length;
            this.traffic.bytesReceived += c.length;
          });
          res.on('end', () => {
            const err = this.errorFor('GET', u, status, Buffer.concat(chunks).toString('utf8'), 0);
            finish(status === 429 || status >= 500 ? new WatchDropped(err.message) : err);
          });
          res.on('error', (e) => finish(new WatchDropped(networkMessage(e, this.server, 'GET', u.pathname), { cause: e })));
          return;
        }
        let pending: Buffer[] = [];
        let pendingBytes = 0;
        res.on('data', (c: Buffer) => {
          this.traffic.bytesReceived += c.length;
          if (settled) return;
          idle();
          let start = 0;
          for (let nl = c.indexOf(10); nl >= 0; nl = c.indexOf(10, start)) {
            pending.push(c.subarray(start, nl));
            const line = Buffer.concat(pending).toString('utf8');
            pending = [];
            pendingBytes = 0;
            start = nl + 1;
            if (line.trim() === '') continue;
            try {
              onLine(line);
            } catch (e) {
              kill(e as Error);
              return;
            }
          }
          pending.push(c.subarray(start));
          pendingBytes += c.length - start;
          if (pendingBytes > L.maxResponseBytes) {
            const e = new RuntimeError(`the API server sent a watch event of more than ${sizeText(L.maxResponseBytes)} for ${u.pathname} (the per-response limit; narrow the scope with -n, or raise DS_INSPECT_MAX_RESPONSE_BYTES)`);
            this.failRun(e);
            kill(e);
          }
        });
        res.on('error', (e) => finish(new WatchDropped(networkMessage(e, this.server, 'GET', u.pathname), { cause: e })));
        res.on('aborted', () => finish(new WatchDropped(`the connection to ${this.server} was dropped during ${where}`)));
        res.on('end', () => finish(undefined));
      });
      req.end();
    });
  }

  get<T>(path: string, query?: Record<string, string | undefined>): Promise<T> {
    return this.request<T>('GET', path, query ? { query } : {});
  }

  /**
   * Every item of a list, page by page. An expired continue token (410) restarts the list from the
   * beginning, as client-go's pager does; `trim` runs on each item as it arrives so pages don't pile up.
   * The expected List kind comes from the path (checkReply). A continue token seen before, or more
   * than maxPages pages, ends the list with an error instead of looping. `skip` names members of each
   * item ("metadata.managedFields") that `trim` drops anyway: they are never parsed (io/json-items.ts).
   */
  async list<T>(path: string, query: Record<string, string | undefined>, trim: (item: T) => T = (x) => x, skip?: readonly string[]): Promise<ListResult<T>> {
    for (let restart = 0; ; restart++) {
      const items: T[] = [];
      const seen = new Set<string>();
      let cont: string | undefined;
      let rv: string | undefined;
      try {
        let pages = 0;
        do {
          if (++pages > this.limits.maxPages) {
            throw new RuntimeError(`listing ${path} did not end after ${this.limits.maxPages} pages of ${PAGE_LIMIT}; stopping (check the API server, or narrow the scope with -n or a selector)`);
          }
          const page = await this.request<{ items: T[]; metadata?: { continue?: unknown; resourceVersion?: unknown } }>('GET', path, {
            query: { ...query, limit: String(PAGE_LIMIT), continue: cont },
            reader: (u) => this.pageReader(u, path, trim, skip),
          });
          for (const it of page.items ?? []) items.push(it);
          const next = typeof page.metadata?.continue === 'string' && page.metadata.continue !== '' ? page.metadata.continue : undefined;
          if (next !== undefined && seen.has(next)) {
            throw new RuntimeError(`the API server sent the same continue token twice while listing ${path}; stopping instead of looping (check a proxy or cache in front of the API server)`);
          }
          if (next !== undefined) seen.add(next);
          cont = next;
          rv = typeof page.metadata?.resourceVersion === 'string' ? page.metadata.resourceVersion : undefined;
        } while (cont);
        return { items, resourceVersion: rv };
      } catch (e) {
        if (e instanceof ApiError && e.status === 410 && cont !== undefined && restart < 2) continue;
        if (!(e instanceof ApiError)) this.failRun(e);
        this.throwIfFailed();
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
