// One live session per run: the kubeconfig resolved once, credentials (exec plugins too) obtained once,
// one keep-alive connection pool. `rollout status` waits (watching, or polling) through the same session.

import { writeFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { RuntimeError, UsageError } from '../../errors.ts';
import { ApiClient, clientLimits, type Transport } from '../http.ts';
import { httpsOptions, resolveConnection, type ConnectionFlags, type HttpsOptions, type ResolvedConnection } from '../kubeconfig.ts';

export interface LiveSession {
  client: ApiClient;
  conn: ResolvedConnection;
}

export interface SessionLog {
  verbosity: number;
  write(line: string): void;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
}

/** Resolve the kubeconfig as kubectl does and open one keep-alive connection pool for the run. */
export async function openSession(flags: ConnectionFlags, env: NodeJS.ProcessEnv, log: SessionLog): Promise<LiveSession> {
  // Keep V8's young generation at its starting size instead of letting it grow to 32 MB while list pages
  // are parsed: every item is garbage a moment after it is trimmed, so a small nursery costs a few more
  // cheap scavenges and saves 30-50 MB of peak RSS at 1,000 realistic nodes (issue 14, README
  // Performance). And let the old generation grow by half, not up to 4 times, between full collections:
  // each DaemonSet's pods are garbage once its cells are made, and a small heap would otherwise hold
  // them all (12 MB less peak RSS, no measurable time). Not for snapshots, which keep every object they
  // read: there the young-generation flag cost 20% in time. Both flags are read when V8 sizes a space,
  // so setting them now (before any list) takes effect.
  setFlagsFromString('--semi-space-growth-factor=1');
  setFlagsFromString('--heap-growing-percent=50');
  const conn = resolveConnection(flags, env);
  for (const w of conn.warnings) log.write(`Warning: ${w}\n`);
  let opts: HttpsOptions;
  try {
    // CA, client certificate/key and the Authorization header (token, exec credential plugin).
    opts = await httpsOptions(conn, undefined, { env });
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new RuntimeError(`cannot get credentials for user "${conn.userName}": ${firstLine(e)}`, { cause: e });
  }
  const transport: Transport = {
    server: conn.server,
    ca: opts.ca,
    cert: opts.cert,
    key: opts.key,
    rejectUnauthorized: opts.rejectUnauthorized,
    servername: opts.servername,
    headers: opts.headers,
    proxy: conn.proxy,
    timeoutMs: conn.requestTimeoutMs,
    describe: `user "${conn.userName}" (context "${conn.contextName}")`,
  };
  const client = new ApiClient(transport, { verbosity: log.verbosity, write: (line) => log.write(`I ${line}\n`) }, clientLimits(env));
  // The benchmark (bench/watch.mjs) compares polling and watching by what they cost the API server:
  // DS_INSPECT_STATS_FILE=path writes {requests, watches, bytesReceived} there when the process exits.
  const statsFile = env.DS_INSPECT_STATS_FILE;
  if (statsFile) process.once('exit', () => writeFileSync(statsFile, `${JSON.stringify(client.traffic)}\n`));
  return { client, conn };
}
