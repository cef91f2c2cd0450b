// Which proxy, if any, carries the connection to the API server, chosen as kubectl (client-go) chooses:
//  - the cluster's `proxy-url` wins and applies to every server address, loopback included
//    (clientcmd sets rest.Config.Proxy = http.ProxyURL(proxy-url), which ignores NO_PROXY);
//  - else the environment, as Go's net/http ProxyFromEnvironment (golang.org/x/net/http/httpproxy)
//    reads it, wrapped by apimachinery's NewProxierWithNoProxyCIDR: HTTPS_PROXY (then https_proxy)
//    for an https:// server, HTTP_PROXY (then http_proxy) for an http:// one; NO_PROXY (then
//    no_proxy) lists hosts that bypass it; localhost and loopback IPs never use an environment proxy.
// The NO_PROXY matcher is written here rather than taken from proxy-from-env because that package
// follows curl's rules (no CIDRs, no automatic loopback bypass), not Go's.
// Connections go through hpagent (CONNECT tunnels over http:// and https:// proxies, keep-alive) and
// socks-proxy-agent (socks5://, host names resolved by the proxy as Go's socks5 dialer does); both are
// what @kubernetes/client-node itself uses for proxy-url.

import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP } from 'node:net';
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import type { SocksProxyAgent } from 'socks-proxy-agent';
import { UsageError } from '../errors.ts';

// socks-proxy-agent (with socks and ip-address) takes ~40 ms to load, so it is imported only when the
// chosen proxy is a SOCKS one (a literal dynamic import, which bundlers still follow).
let socks: typeof import('socks-proxy-agent') | undefined;
const isSocks = (u: URL): boolean => u.protocol === 'socks5:' || u.protocol === 'socks5h:';

/** Loads what createAgent needs for this proxy; call it before createAgent. */
export async function loadProxySupport(proxy: ProxyChoice | undefined): Promise<void> {
  if (proxy && isSocks(proxy.url)) socks ??= await import('socks-proxy-agent');
}

export interface ProxyChoice {
  url: URL;
  /** Where it came from, for messages: "proxy-url of cluster \"c\"", "HTTPS_PROXY", ... */
  source: string;
}

/** The URL without userinfo (proxy passwords are never printed). */
function redactUrl(u: URL): string {
  if (!u.username && !u.password) return u.href;
  const c = new URL(u.href);
  c.username = '';
  c.password = '';
  return c.href;
}

/** kubeconfig `proxy-url` (clientcmd parseProxyURL): http, https or socks5, nothing else. */
function parseProxyUrl(raw: string, clusterName: string): URL {
  let u: URL | undefined;
  try {
    u = new URL(raw);
  } catch {
    /* reported below */
  }
  const scheme = u?.protocol.replace(/:$/, '') ?? '';
  if (!u || !['http', 'https', 'socks5'].includes(scheme) || u.hostname === '') {
    const shown = u ? redactUrl(u) : raw.replace(/\/\/[^@/]*@/, '//');
    throw new UsageError(`invalid proxy-url "${shown}" for cluster "${clusterName}": ${u ? `unsupported scheme "${scheme}", ` : ''}it must be an http://, https:// or socks5:// URL with a host`);
  }
  return u;
}

/**
 * Go httpproxy parseProxy: a value that is not a URL with a known scheme is read as http://VALUE
 * (host:port). Unlike Go we do not prefix a value that has a "://" of its own: "http://http://..."
 * would only name a nonsense host.
 */
function parseEnvProxy(raw: string, name: string): URL {
  const known = (u: URL): boolean => ['http:', 'https:', 'socks5:', 'socks5h:'].includes(u.protocol) && u.hostname !== '';
  try {
    const u = new URL(raw.includes('://') ? raw : `http://${raw}`);
    if (known(u)) return u;
  } catch {
    /* reported below */
  }
  throw new UsageError(`invalid proxy address in ${name}: expected a URL such as http://proxy.example:3128; fix or unset ${name}`);
}

function env2(env: NodeJS.ProcessEnv, upper: string): { name: string; value: string } | undefined {
  for (const name of [upper, upper.toLowerCase()]) {
    const value = env[name];
    if (value) return { name, value };
  }
  return undefined;
}

function stripBrackets(h: string): string {
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

function isLoopback(ip: string): boolean {
  const list = new BlockList();
  list.addSubnet('127.0.0.0', 8, 'ipv4');
  list.addAddress('::1', 'ipv6');
  const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
  // ::ffff:127.x.x.x counts too, as in Go's IP.IsLoopback
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return mapped ? list.check(mapped[1]!, 'ipv4') : list.check(ip, family);
}

function sameIp(a: string, b: string): boolean {
  if (isIP(a) !== isIP(b)) return false;
  const list = new BlockList();
  list.addAddress(a, isIP(a) === 6 ? 'ipv6' : 'ipv4');
  return list.check(b, isIP(b) === 6 ? 'ipv6' : 'ipv4');
}

/**
 * Go httpproxy useProxy: whether host:port (port already defaulted by scheme) goes through the
 * environment proxy given NO_PROXY. Entries are comma-separated, trimmed, case-insensitive: `*`
 * (everything), an IP or CIDR, an IP or host with a port, `host` (itself and its subdomains),
 * `.host` / `*.host` (subdomains only).
 */
export function useEnvProxy(hostIn: string, port: string, noProxy: string): boolean {
  const host = stripBrackets(hostIn.trim().toLowerCase());
  if (host === 'localhost') return false;
  const ip = isIP(host) ? host : undefined;
  if (ip && isLoopback(ip)) return false;
  for (const raw of noProxy.split(',')) {
    const p = raw.trim().toLowerCase();
    if (p === '') continue;
    if (p === '*') return false;
    const cidr = /^(.+)\/(\d{1,3})$/.exec(p);
    if (cidr && isIP(cidr[1]!)) {
      if (!ip) continue;
      const fam = isIP(cidr[1]!) === 6 ? 'ipv6' : 'ipv4';
      const prefix = Number(cidr[2]);
      if (prefix > (fam === 'ipv6' ? 128 : 32)) continue;
      const list = new BlockList();
      list.addSubnet(cidr[1]!, prefix, fam);
      if (isIP(ip) === isIP(cidr[1]!) && list.check(ip, fam)) return false;
      continue;
    }
    // host:port, [v6]:port, or a plain entry (a bare IPv6 address has colons but no port)
    const m = /^\[([^\]]*)\]:(\d+)$/.exec(p) ?? (isIP(p) ? null : /^([^:]*):(\d+)$/.exec(p));
    let phost = m ? m[1]! : stripBrackets(p);
    const pport = m ? m[2]! : '';
    if (phost === '') continue; // malformed entry: ignored, as in Go
    if (isIP(phost)) {
      if (ip && sameIp(phost, ip) && (pport === '' || pport === port)) return false;
      continue;
    }
    if (phost.startsWith('*.')) phost = phost.slice(1);
    const matchHost = !phost.startsWith('.');
    if (matchHost) phost = `.${phost}`;
    if ((host.endsWith(phost) || (matchHost && host === phost.slice(1))) && (pport === '' || pport === port)) return false;
  }
  return true;
}

/** The proxy for the API server at `server`, or undefined for a direct connection. */
export function chooseProxy(server: URL, proxyUrl: string | undefined, clusterName: string, env: NodeJS.ProcessEnv): ProxyChoice | undefined {
  if (proxyUrl) return { url: parseProxyUrl(proxyUrl, clusterName), source: `proxy-url of cluster "${clusterName}"` };
  const e = env2(env, server.protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY');
  if (!e) return undefined;
  const port = server.port || (server.protocol === 'https:' ? '443' : '80');
  if (!useEnvProxy(server.hostname, port, env2(env, 'NO_PROXY')?.value ?? '')) return undefined;
  return { url: parseEnvProxy(e.value, e.name), source: e.name };
}

/** Agent options the API client sets (TLS material and pooling). */
type AgentOptions = https.AgentOptions;

/**
 * One keep-alive agent for the run: direct, or through the chosen proxy. Connection failures through
 * a proxy name the proxy (without its password) so that they are not mistaken for the API server's.
 */
export function createAgent(secure: boolean, opts: AgentOptions, proxy: ProxyChoice | undefined): http.Agent {
  if (!proxy) return secure ? new https.Agent(opts) : new http.Agent(opts);
  const shown = `${redactUrl(proxy.url)} (${proxy.source})`;
  if (isSocks(proxy.url)) {
    if (!socks) throw new Error('internal error: loadProxySupport was not called before createAgent for a SOCKS proxy');
    // socks5h: the proxy resolves the server's host name, as Go's socks5 dialer does for socks5://.
    const u = new URL(proxy.url.href);
    u.protocol = 'socks5h:';
    return withSocksErrors(new socks.SocksProxyAgent(u, opts), shown);
  }
  const agent = secure ? new HttpsProxyAgent({ ...opts, proxy: proxy.url }) : new HttpProxyAgent({ ...opts, proxy: proxy.url });
  return withTunnelErrors(agent, shown);
}

type CreateConnection = (options: unknown, cb: (err: Error | null, socket?: unknown) => void) => unknown;

function proxyError(err: Error & { code?: string }, shown: string): Error {
  const status = /^Bad response: (\d+)$/.exec(err.message)?.[1];
  const why =
    status === '407'
      ? 'the proxy wants credentials (407 Proxy Authentication Required): put them in the proxy URL as http://USER:PASSWORD@host:port'
      : status
        ? `the proxy refused the tunnel with HTTP ${status}`
        : err.code === 'ECONNREFUSED' || /\bECONNREFUSED\b/.test(err.message)
          ? 'connection refused by the proxy'
          : (err.code ?? err.message);
  return Object.assign(new Error(`cannot connect through proxy ${shown}: ${why}; check the proxy or NO_PROXY`), { code: 'EPROXY' });
}

/** Rewrites errors of the CONNECT tunnel set-up (hpagent) to one line naming the proxy. */
function withTunnelErrors(agent: http.Agent, shown: string): http.Agent {
  const a = agent as unknown as { createConnection: CreateConnection };
  const create = a.createConnection.bind(agent);
  a.createConnection = (options, cb) => create(options, (err, socket) => (err ? cb(proxyError(err, shown)) : cb(null, socket)));
  return agent;
}

/** The same for the SOCKS handshake. */
function withSocksErrors(agent: SocksProxyAgent, shown: string): http.Agent {
  const connect = agent.connect.bind(agent);
  agent.connect = async (...args: Parameters<SocksProxyAgent['connect']>) => {
    try {
      return await connect(...args);
    } catch (e) {
      throw proxyError(e as Error, shown);
    }
  };
  return agent;
}
