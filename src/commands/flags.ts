// kubectl's flag grammar on top of commander, and the flags each command offers.
//
// commander and pflag (kubectl's flag library) differ in three ways that matter to users:
//  - `-n=kube-system`: pflag strips the "=", commander would take "=kube-system" as the value;
//  - boolean flags take a value only as `--flag=false`; `-w NAME` never swallows NAME;
//  - flags with an optional value (pflag's NoOptDefVal, e.g. `--dry-run`) take it only after "=".
// normalizeArgv rewrites argv into commander's grammar before parsing, from the option table of the
// program itself, so a flag is declared once.

import { Option, type Command } from 'commander';
import { UsageError } from '../errors.ts';
import { append } from '../util/array.ts';

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** A boolean flag plus its hidden negation, so `--flag=false` can be expressed to commander. */
export function addBoolean(cmd: Command, flags: string, description: string): Command {
  const opt = new Option(flags, description);
  cmd.addOption(opt);
  const long = opt.long!;
  const negated = long.startsWith('--no-') ? `--${long.slice(5)}` : `--no-${long.slice(2)}`;
  cmd.addOption(new Option(negated).hideHelp());
  return cmd;
}

/**
 * A pflag NoOptDefVal flag: `--dry-run` alone means `client`, `--dry-run=server` sets a value, and the
 * next word is never taken as the value. Bare form is a boolean; the `=` form is rewritten to a hidden
 * `--dry-run-value VALUE` option by normalizeArgv.
 */
export function addOptionalValue(cmd: Command, long: string, display: string, description: string): Command {
  const bare = new Option(long, description);
  bare.flags = display;
  cmd.addOption(bare);
  cmd.addOption(new Option(`${long}-value <value>`).hideHelp());
  return cmd;
}

/** --snapshot, -n, -A and --now: where the cluster state comes from and which namespaces are in scope. */
export function addReadOptions(cmd: Command): Command {
  cmd
    .option('--snapshot <file>', 'read cluster state from FILE (output of `kubectl get nodes,daemonsets,pods,controllerrevisions,events -A -o yaml`) instead of the API; repeatable, - for stdin', collect)
    .option('-n, --namespace <namespace>', "namespace of the DaemonSets (the context's namespace by default; every namespace for --snapshot)");
  addBoolean(cmd, '-A, --all-namespaces', 'DaemonSets of every namespace');
  cmd.option('--now <time>', 'with --snapshot: judge ages and minReadySeconds at TIME (RFC 3339); by default the newest timestamp in the snapshot');
  return cmd;
}

/** -n only, for commands that change the cluster (no --snapshot, no -A). */
export function addNamespaceOption(cmd: Command): Command {
  return cmd.option('-n, --namespace <namespace>', "namespace of the DaemonSets (the context's namespace by default)");
}

/** kubectl's connection flags, with kubectl's precedence over the kubeconfig. */
export function addConnectionOptions(cmd: Command): Command {
  cmd
    .option('--kubeconfig <path>', 'path to the kubeconfig file (disables KUBECONFIG merging)')
    .option('--context <name>', 'kubeconfig context to use')
    .option('--cluster <name>', 'kubeconfig cluster to use')
    .option('--user <name>', 'kubeconfig user to use')
    .option('-s, --server <address>', 'address and port of the API server (replaces the cluster\'s server)')
    .option('--token <token>', 'bearer token for the API server (replaces the user\'s credentials)')
    .option('--certificate-authority <path>', 'path to a CA certificate file')
    .option('--client-certificate <path>', 'path to a client certificate file for TLS')
    .option('--client-key <path>', 'path to a client key file for TLS')
    .option('--tls-server-name <name>', 'server name to use for certificate validation')
    .option('--username <name>', 'username for basic authentication to the API server')
    .option('--password <password>', 'password for basic authentication to the API server');
  addBoolean(cmd, '--insecure-skip-tls-verify', 'do not verify the server certificate (insecure)');
  cmd
    .option('--as <user>', 'user to impersonate for the operation')
    .option('--as-group <group>', 'group to impersonate; repeatable', collect)
    .option('--as-uid <uid>', 'UID to impersonate')
    .option('--request-timeout <duration>', 'timeout of a single request, e.g. 10s, 1m (0 = the defaults: 30s to connect, 60s without data, 10m in all)', '0');
  return cmd;
}

/** -v and --no-color: every command. */
export function addGlobalOptions(cmd: Command): Command {
  cmd.option('-v, --v <level>', 'log level: 1 shows stack traces on errors, 6 logs every request');
  addBoolean(cmd, '--no-color', 'no colours (also when NO_COLOR is set or output is not a terminal)');
  return cmd;
}

export function addOutputOption(cmd: Command, formats: readonly string[]): Command {
  const opt = new Option('-o, --output <format>', `output format: ${formats.join('|')}`);
  // For completion only (options.ts validates, since jsonpath=TEMPLATE is no fixed choice): argChoices
  // without commander's choices() parser.
  opt.argChoices = formats.map((f) => f.replace(/=.*$/, '='));
  return cmd.addOption(opt);
}

export function addDryRunOption(cmd: Command): Command {
  return addOptionalValue(cmd, '--dry-run', '--dry-run[=client|server|none]', 'client: print what would change; server: the API server validates, nothing is stored (bare --dry-run means client)');
}

export function addNoHeaders(cmd: Command): Command {
  return addBoolean(cmd, '--no-headers', 'no header lines, summary rows, legend or counters');
}

interface FlagTable {
  /** long and short spellings of boolean flags → their long form */
  booleans: Map<string, string>;
  /** short spellings of flags that take a value */
  valued: Set<string>;
  optionalValue: Set<string>;
}

/**
 * The spellings of the options of the command argv names (its leading words, e.g. `rollout status`), by
 * kind: the same flag may take a value in one command and be optional-valued in another.
 */
export function flagTable(program: Command, argv: readonly string[]): FlagTable {
  let cmd = program;
  for (const word of argv) {
    const sub = cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!sub) break;
    cmd = sub;
  }
  const t: FlagTable = { booleans: new Map(), valued: new Set(), optionalValue: new Set() };
  const longs = new Set(cmd.options.map((o) => o.long));
  for (const o of cmd.options) {
    if (!o.long) continue;
    if (longs.has(`${o.long}-value`)) t.optionalValue.add(o.long);
    // (commander's isBoolean() is false for `--no-x` flags; they take no value either.)
    else if (!o.required && !o.optional && !o.hidden) {
      t.booleans.set(o.long, o.long);
      if (o.short) t.booleans.set(o.short, o.long);
    } else if ((o.required || o.optional) && o.short) t.valued.add(o.short);
  }
  return t;
}

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

function negation(long: string): string {
  return long.startsWith('--no-') ? `--${long.slice(5)}` : `--no-${long.slice(2)}`;
}

/** Rewrite argv from kubectl's (pflag's) grammar into commander's. Stops at `--`. */
export function normalizeArgv(argv: readonly string[], t: FlagTable): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      append(out, argv.slice(i));
      break;
    }
    const eq = a.indexOf('=');
    if (!a.startsWith('-') || eq < 0) {
      out.push(a);
      continue;
    }
    const name = a.slice(0, eq);
    const value = a.slice(eq + 1);
    const boolLong = t.booleans.get(name);
    if (boolLong !== undefined) {
      // pflag's strconv.ParseBool spellings.
      if (TRUE.has(value)) out.push(boolLong);
      else if (FALSE.has(value)) out.push(negation(boolLong));
      else throw new UsageError(`invalid argument "${value}" for "${name}" flag: use ${name}=true or ${name}=false`);
    } else if (t.optionalValue.has(name)) {
      out.push(`${name}-value`, value);
    } else if (/^-[a-zA-Z]$/.test(name) && t.valued.has(name)) {
      // `-n=x` is `-n x` (pflag), not the value "=x".
      out.push(name, value);
    } else {
      out.push(a);
    }
  }
  return out;
}

/** -f FILE as kubectl: repeatable, a file, a directory or - for stdin. */
export function addFilenameOption(cmd: Command, what: string): Command {
  return cmd.option('-f, --filename <file>', what, collect);
}
