// Exec credential plugins (kubeconfig users[].user.exec), run as client-go's exec authenticator runs
// them (k8s.io/client-go/plugin/pkg/client/auth/exec): the command itself (no shell) with the user's
// environment plus exec.env plus KUBERNETES_EXEC_INFO (an ExecCredential holding spec.interactive and,
// with provideClusterInfo, spec.cluster); its stderr goes straight to ours and, when interactive, it
// gets our stdin, so a device-code or browser login reaches the user's terminal; its stdout must be
// one ExecCredential of the configured apiVersion with a token and/or a client certificate and key.
// We run plugins ourselves rather than through @kubernetes/client-node because client-node pipes the
// plugin's stdin and stderr (an interactive login cannot prompt), sets no KUBERNETES_EXEC_INFO, has no
// timeout, and quotes the plugin's stdout in its parse errors.
// Differences from kubectl, on purpose: kubectl waits for a plugin forever; we stop it after 60 s
// (10 min when it is interactive: a human is logging in), and we refuse a credential whose
// status.expirationTimestamp is already past (kubectl would send it once and fail with 401).
// Nothing a plugin prints on stdout is ever shown: it holds the credential.

import { spawn } from 'node:child_process';
import { isatty } from 'node:tty';
import { RuntimeError, UsageError } from '../errors.ts';

const EXEC_TIMEOUT_MS = 60_000;
const EXEC_INTERACTIVE_TIMEOUT_MS = 600_000;
/** An ExecCredential is a few KB; more than this is not one. */
const MAX_STDOUT_BYTES = 1 << 20;

const API_VERSIONS = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'] as const;
const MODES = ['Never', 'IfAvailable', 'Always'] as const;
type Mode = (typeof MODES)[number];

export interface ExecConfig {
  command: string;
  args: string[];
  env: { name: string; value: string }[];
  apiVersion: string;
  interactiveMode: Mode;
  provideClusterInfo: boolean;
  installHint: string;
}

/** spec.cluster of KUBERNETES_EXEC_INFO (client.authentication.k8s.io Cluster, JSON field names). */
export interface ExecClusterInfo {
  server: string;
  'tls-server-name'?: string;
  'insecure-skip-tls-verify'?: boolean;
  /** base64, read from certificate-authority when that is a file, as client-go does */
  'certificate-authority-data'?: string;
  'proxy-url'?: string;
  'disable-compression'?: boolean;
  /** the cluster's extension named client.authentication.k8s.io/exec */
  config?: unknown;
}

export interface ExecResult {
  token?: string;
  /** PEM */
  cert?: string;
  key?: string;
}

/** Where the plugin's stdin/stderr go (file descriptors: 0 and 2 in real runs) and whether stdin is a terminal. */
export interface ExecContext {
  env: NodeJS.ProcessEnv;
  stdinIsTerminal: boolean;
  stdin: number;
  stderr: number;
  /** overrides EXEC_TIMEOUT_MS / EXEC_INTERACTIVE_TIMEOUT_MS (tests) */
  timeoutMs?: number;
  now: () => number;
}

// isatty(0) rather than process.stdin.isTTY: the latter opens a stream on stdin, which the plugin is to own.
export const realExecContext = (env: NodeJS.ProcessEnv): ExecContext => ({ env, stdinIsTerminal: isatty(0), stdin: 0, stderr: 2, now: Date.now });

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** clientcmd validateAuthInfo for exec, with the v1beta1 interactiveMode default (IfAvailable). */
export function validateExecConfig(exec: Obj, userName: string, where: string): ExecConfig {
  const bad = (what: string): never => {
    throw new UsageError(`user "${userName}" in ${where}: ${what}`);
  };
  const command = exec.command;
  if (typeof command !== 'string' || command === '') bad('exec has no command (set users[].user.exec.command)');
  const apiVersion = exec.apiVersion;
  if (apiVersion === undefined || apiVersion === null || apiVersion === '') bad('exec has no apiVersion: set it to client.authentication.k8s.io/v1 (as kubectl requires)');
  if (typeof apiVersion !== 'string' || !(API_VERSIONS as readonly string[]).includes(apiVersion)) {
    bad(`exec apiVersion ${JSON.stringify(apiVersion)} is not supported: use client.authentication.k8s.io/v1 or v1beta1`);
  }
  const args = exec.args ?? [];
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) bad('exec args must be a list of strings');
  const envList = exec.env ?? [];
  if (!Array.isArray(envList)) bad('exec env must be a list of {name, value}');
  const env = (envList as unknown[]).map((e) => {
    if (!isObj(e) || typeof e.name !== 'string' || e.name === '') return bad('every exec env entry needs a name');
    if (e.value !== undefined && e.value !== null && typeof e.value !== 'string') return bad(`exec env "${e.name}" must have a string value (quote it)`);
    return { name: e.name, value: e.value ?? '' };
  });
  let mode = exec.interactiveMode;
  if (mode === undefined || mode === null || mode === '') {
    // clientcmd defaults IfAvailable for v1beta1 only; for v1 it is required.
    if (apiVersion === 'client.authentication.k8s.io/v1beta1') mode = 'IfAvailable';
    else bad('interactiveMode must be specified to use the exec plugin (Never, IfAvailable or Always), as kubectl requires for client.authentication.k8s.io/v1');
  }
  if (!(MODES as readonly unknown[]).includes(mode)) bad(`invalid exec interactiveMode ${JSON.stringify(mode)}: use Never, IfAvailable or Always`);
  return {
    command: command as string,
    args: args as string[],
    env,
    apiVersion: apiVersion as string,
    interactiveMode: mode as Mode,
    provideClusterInfo: exec.provideClusterInfo === true,
    installHint: typeof exec.installHint === 'string' ? exec.installHint : '',
  };
}

const name = (cfg: ExecConfig): string => `exec plugin "${cfg.command}"`;

/** client-go isInteractive: Never; IfAvailable = stdin is a terminal; Always = required. */
function interactiveFor(cfg: ExecConfig, stdinIsTerminal: boolean): boolean {
  if (cfg.interactiveMode === 'Never') return false;
  if (cfg.interactiveMode === 'IfAvailable') return stdinIsTerminal;
  if (!stdinIsTerminal) {
    throw new RuntimeError(`${name(cfg)} cannot support interactive mode: standard input is not a terminal (interactiveMode: Always); run the command in a terminal, or log in with the plugin first`);
  }
  return true;
}

/** The KUBERNETES_EXEC_INFO value client-go sets: an ExecCredential with spec only. */
export function execInfo(cfg: ExecConfig, interactive: boolean, cluster: ExecClusterInfo | undefined): string {
  const spec: Obj = {};
  if (cfg.provideClusterInfo && cluster) spec.cluster = cluster;
  spec.interactive = interactive;
  return JSON.stringify({ kind: 'ExecCredential', apiVersion: cfg.apiVersion, spec });
}

/** Check the plugin's stdout as client-go does; messages never quote it. */
function parseExecCredential(stdout: string, cfg: ExecConfig, nowMs: number): ExecResult {
  const fail = (what: string): never => {
    throw new RuntimeError(`${name(cfg)} ${what}`);
  };
  let doc: unknown;
  try {
    doc = JSON.parse(stdout);
  } catch {
    fail(`printed ${stdout.trim() === '' ? 'nothing' : 'something that is not JSON'} on stdout, where an ExecCredential was expected (output not shown: it may hold secrets)`);
  }
  if (!isObj(doc) || doc.kind !== 'ExecCredential') fail('printed JSON that is not an ExecCredential (no kind: ExecCredential; output not shown: it may hold secrets)');
  const d = doc as Obj;
  if (d.apiVersion !== cfg.apiVersion) {
    const got = typeof d.apiVersion === 'string' && /^[\w./-]{1,80}$/.test(d.apiVersion) ? `"${d.apiVersion}"` : 'another or no version';
    fail(`is configured to use API version ${cfg.apiVersion}, but returned ${got}; fix exec.apiVersion in the kubeconfig or update the plugin`);
  }
  const status = d.status;
  if (status === undefined || status === null) fail("didn't return a status field (the credential)");
  if (!isObj(status)) fail('returned a status that is not a mapping');
  const s = status as Obj;
  for (const k of ['token', 'clientCertificateData', 'clientKeyData', 'expirationTimestamp']) {
    if (s[k] !== undefined && s[k] !== null && typeof s[k] !== 'string') fail(`returned a status.${k} that is not a string`);
  }
  const token = (s.token as string | undefined) || undefined;
  const cert = (s.clientCertificateData as string | undefined) || undefined;
  const key = (s.clientKeyData as string | undefined) || undefined;
  if (!token && !cert && !key) fail("didn't return a token or a client certificate and key");
  if (!cert !== !key) fail('returned only a client certificate or only a key, not both');
  const exp = s.expirationTimestamp as string | undefined;
  if (exp) {
    const t = Date.parse(exp);
    if (!/^\d{4}-\d\d-\d\dT/.test(exp) || Number.isNaN(t)) fail('returned a status.expirationTimestamp that is not an RFC 3339 time');
    if (t <= nowMs) fail(`returned a credential that expired at ${new Date(t).toISOString()}; log in again (or clear the plugin's token cache)`);
  }
  const out: ExecResult = {};
  if (token) out.token = token;
  if (cert && key) {
    out.cert = cert;
    out.key = key;
  }
  return out;
}

function oneLine(s: string, max = 300): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

/** Run the plugin and return its credential; every failure is one line naming the plugin command. */
export async function runExecPlugin(cfg: ExecConfig, cluster: ExecClusterInfo | undefined, ctx: ExecContext): Promise<ExecResult> {
  const interactive = interactiveFor(cfg, ctx.stdinIsTerminal);
  const env: NodeJS.ProcessEnv = { ...ctx.env };
  for (const e of cfg.env) env[e.name] = e.value;
  env.KUBERNETES_EXEC_INFO = execInfo(cfg, interactive, cluster);
  const timeoutMs = ctx.timeoutMs ?? (interactive ? EXEC_INTERACTIVE_TIMEOUT_MS : EXEC_TIMEOUT_MS);
  return new Promise((resolve, reject) => {
    const child = spawn(cfg.command, cfg.args, { env, stdio: [interactive ? ctx.stdin : 'ignore', 'pipe', ctx.stderr], shell: false });
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (err: Error | undefined, value?: ExecResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        child.stdout?.destroy();
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        reject(err);
      } else resolve(value!);
    };
    // We do not wait for 'close' after a timeout: a grandchild holding stdout open must not hang us.
    const timer = setTimeout(() => finish(new RuntimeError(`${name(cfg)} did not finish within ${timeoutMs / 1000} s and was stopped; check that it can run without a prompt, or run it once by hand to log in`)), timeoutMs);
    child.stdout!.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_STDOUT_BYTES) finish(new RuntimeError(`${name(cfg)} printed more than 1 MiB on stdout, which is not an ExecCredential`));
      else chunks.push(c);
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') {
        const hint = cfg.installHint ? ` (${oneLine(cfg.installHint)})` : '';
        finish(new RuntimeError(`${name(cfg)} not found${hint}: install it, or fix users[].user.exec.command in the kubeconfig (a name without "/" is looked up in PATH)`));
      } else if (e.code === 'EACCES') finish(new RuntimeError(`${name(cfg)} cannot be run (permission denied): make it executable`));
      else finish(new RuntimeError(`${name(cfg)} could not be started: ${e.code ?? e.message}`));
    });
    child.on('close', (code, signal) => {
      if (signal) return finish(new RuntimeError(`${name(cfg)} was killed by ${signal}`));
      if (code !== 0) return finish(new RuntimeError(`${name(cfg)} failed with exit code ${code}${ctx.stderr === 2 ? ' (its own message, if any, is printed above)' : ''}`));
      try {
        finish(undefined, parseExecCredential(Buffer.concat(chunks).toString('utf8'), cfg, ctx.now()));
      } catch (e) {
        finish(e as Error);
      }
    });
  });
}
