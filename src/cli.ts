// Entry point: builds the command tree, rewrites argv into commander's grammar (kubectl's flag forms),
// runs it, and turns every failure into one line on stderr and a documented exit code (0 ok, 1 runtime
// or API error, 2 usage or input error).

import { Command, CommanderError } from 'commander';
import { complete, registerCompletion } from './commands/completion.ts';
import { registerCoverage } from './commands/coverage.ts';
import { flagTable, normalizeArgv } from './commands/flags.ts';
import { registerOverhead } from './commands/overhead.ts';
import { registerRollout } from './commands/rollout/index.ts';
import { chalkFor } from './commands/terminal.ts';
import { registerWhatIf } from './commands/whatif.ts';
import { registerWhyNot } from './commands/whynot.ts';
import { CliError, ExitCode } from './errors.ts';
import { defaultReadStdin } from './io/stdin.ts';
import { InputError } from './model/inputError.ts';
import { OutputFormatError } from './render/formats.ts';
import type { CliIO } from './runtime.ts';
import { safeText } from './util/sanitize.ts';
import { VERSION } from './version.ts';

export function defaultIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    readStdin: defaultReadStdin,
    now: () => Date.now(),
  };
}

const ROOT_HELP = `
Examples:
  kubectl ds-inspect coverage -A                      # node × DaemonSet matrix
  kubectl ds-inspect why-not worker-7 -A              # why each DaemonSet does (not) run on worker-7
  kubectl ds-inspect coverage --snapshot cluster.yaml # from a kubectl dump instead of the API
  kubectl ds-inspect rollout status -n kube-system kube-proxy
  kubectl ds-inspect what-if taint worker-7 dedicated=gpu:NoExecute   # before the change

Flags go after the plugin name: kubectl rejects \`kubectl -n x ds-inspect\`.
Exit codes: 0 success, 1 runtime or API error, 2 usage or input error, 3 a --fail-on gate failed.`;

export function buildProgram(io: CliIO): Command {
  const program = new Command('kubectl ds-inspect');
  program
    .description('DaemonSet node coverage, why-not explanations and rollouts through ControllerRevisions')
    .version(VERSION, '--version', 'print the version')
    .helpOption('-h, --help', 'help for this command')
    .addHelpText('after', ROOT_HELP);
  registerCoverage(program, io);
  registerWhyNot(program, io);
  registerRollout(program, io);
  registerWhatIf(program, io);
  registerOverhead(program, io);
  registerCompletion(program, io);
  const configure = (cmd: Command): void => {
    // Every subcommand's help opens with what it does (its summary, where no longer text was written).
    if (!cmd.description() && cmd.summary()) cmd.description(cmd.summary());
    cmd
      .exitOverride()
      .showSuggestionAfterError(true)
      .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
      .configureHelp({ showGlobalOptions: false });
    cmd.commands.forEach(configure);
  };
  configure(program);
  return program;
}

/** `help TOPIC...`: the help of that command, or an unknown-topic error as kubectl gives. */
function helpFor(program: Command, topics: readonly string[]): Command | string {
  let cmd = program;
  for (const t of topics) {
    const sub = cmd.commands.find((c) => c.name() === t || c.aliases().includes(t));
    if (!sub) return `unknown help topic "${topics.join(' ')}"; run 'kubectl ds-inspect --help' for the commands`;
    cmd = sub;
  }
  return cmd;
}

function exitCodeFor(e: unknown): number {
  if (e instanceof CliError) return e.exitCode;
  if (e instanceof InputError || e instanceof OutputFormatError) return ExitCode.Usage;
  return ExitCode.Runtime;
}

/** -v N from raw argv, for the stack trace of an error thrown before options were completed. */
function verbosityOf(argv: readonly string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const m = /^--?v(?:=(\d+))?$/.exec(a) ?? /^-v(\d+)$/.exec(a);
    if (m) return Number(m[1] ?? argv[i + 1] ?? '0') || 0;
  }
  return 0;
}

/** Run the CLI with `argv` (without node and script); returns the process exit code. */
export async function main(argv: string[], io: CliIO = defaultIO()): Promise<number> {
  const program = buildProgram(io);
  if (argv[0] === '__complete') return complete(program, argv.slice(1), io);
  if (argv.length === 0) {
    program.outputHelp();
    return ExitCode.OK;
  }
  try {
    if (argv[0] === 'help') {
      const target = helpFor(program, argv.slice(1));
      if (typeof target === 'string') throw new InputError(target);
      target.outputHelp();
      return ExitCode.OK;
    }
    await program.parseAsync(normalizeArgv(argv, flagTable(program, argv)), { from: 'user' });
    return ExitCode.OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and --version exit 0; every parse error is a usage error (commander already printed it).
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return ExitCode.OK;
      return ExitCode.Usage;
    }
    const c = chalkFor(io, io.stderr, !argv.includes('--no-color'));
    const message = e instanceof Error ? e.message : String(e);
    // One line, and no escape sequences from names or server text quoted in the message.
    io.stderr.write(`${c.red('error:')} ${safeText(message)}\n`);
    if (verbosityOf(argv) >= 1 && e instanceof Error && e.stack) io.stderr.write(`${e.stack}\n`);
    return exitCodeFor(e);
  }
}
