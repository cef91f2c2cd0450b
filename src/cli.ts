// Entry point: builds the command tree, runs it, and turns every failure into one line on stderr and
// a documented exit code (0 ok, 1 runtime/API error, 2 usage/input error).

import { readFileSync } from 'node:fs';

import { Command, CommanderError } from 'commander';
import { registerCoverage } from './commands/coverage.ts';
import { registerWhyNot } from './commands/whynot.ts';
import { registerRollout } from './commands/rollout.ts';
import type { CliIO } from './commands/context.ts';
import { defaultReadStdin } from './io/stdin.ts';
import { CliError, ExitCode } from './errors.ts';
import { safeText } from './util/sanitize.ts';

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}


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

Flags go after the plugin name: kubectl rejects \`kubectl -n x ds-inspect\`.
Exit codes: 0 success, 1 runtime or API error, 2 usage or input error.`;

export function buildProgram(io: CliIO): Command {
  const program = new Command('kubectl ds-inspect');
  program
    .description('DaemonSet node coverage, why-not explanations and rollouts through ControllerRevisions')
    .version(packageVersion(), '--version', 'print the version')
    .helpOption('-h, --help', 'help for this command')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .addHelpText('after', ROOT_HELP);
  registerCoverage(program, io);
  registerWhyNot(program, io);
  registerRollout(program, io);
  const configure = (cmd: Command): void => {
    for (const sub of cmd.commands) {
      sub.exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
      sub.showSuggestionAfterError(true);
      configure(sub);
    }
  };
  configure(program);
  return program;
}

function wantsStack(argv: readonly string[]): boolean {
  const i = argv.findIndex((a) => a === '-v' || a === '--v' || a.startsWith('-v=') || a.startsWith('--v=') || /^-v\d+$/.test(a));
  if (i < 0) return false;
  const a = argv[i]!;
  const inline = a.includes('=') ? a.split('=')[1] : /^-v\d+$/.test(a) ? a.slice(2) : argv[i + 1];
  return Number.parseInt(inline ?? '0', 10) >= 1;
}

/** Run the CLI with `argv` (without node and script); returns the process exit code. */
export async function main(argv: string[], io: CliIO = defaultIO()): Promise<number> {
  const program = buildProgram(io);
  if (argv.length === 0) {
    program.outputHelp();
    return ExitCode.OK;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ExitCode.OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and --version exit 0; every parse error is a usage error (commander already printed it).
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return ExitCode.OK;
      return ExitCode.Usage;
    }
    const { stderrChalk } = await import('./commands/context.ts');
    const c = stderrChalk(io, { color: !argv.includes('--no-color') });
    const message = e instanceof Error ? e.message : String(e);
    // One line, and no escape sequences from names or server text quoted in the message.
    io.stderr.write(`${c.red('error:')} ${safeText(message)}\n`);
    if (wantsStack(argv) && e instanceof Error && e.stack) io.stderr.write(`${e.stack}\n`);
    return e instanceof CliError ? e.exitCode : ExitCode.Runtime;
  }
}
