// Errors that reach the user as one line and a documented exit code (README "Exit codes").
// The model never throws these: it throws InputError (src/model/inputError.ts), which main() maps to Usage.

export const ExitCode = {
  OK: 0,
  /** Runtime or API error: unreachable cluster, 401/403 on a required read, 5xx, timeout, conflict. */
  Runtime: 1,
  /** Usage or input error: bad flag, unknown DaemonSet or node, malformed snapshot, bad selector. */
  Usage: 2,
  /** A gate failed: `what-if --fail-on` found an action it was told to fail on. The run itself worked. */
  GateFailed: 3,
  /** stdout was closed by its reader (`| head`): the run ends quietly, as a program killed by SIGPIPE. */
  BrokenPipe: 141,
} as const;

export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number, options?: { cause?: unknown }) {
    super(message, options);
    this.exitCode = exitCode;
  }
}

/** Bad input from the user: exit 2. */
export class UsageError extends CliError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.Usage, options);
  }
}

/** Something failed while doing the work: exit 1. */
export class RuntimeError extends CliError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.Runtime, options);
  }
}

/** A gate (what-if --fail-on) found what it was asked to fail on: exit 3, failures already printed. */
export class GateError extends CliError {
  constructor(message: string) {
    super(message, ExitCode.GateFailed);
  }
}
