// What a run needs from the outside world, injected so tests can run commands in-process. The ground
// floor: every layer may import these types, none of them imports a layer.

export interface OutStream {
  /** false: the stream holds more than its buffer; wait for 'drain' before writing much more. */
  write(s: string): unknown;
  /** A pipe's 'drain' (process.stdout), so a big document is not queued whole when the reader is slower. */
  once?(event: 'drain', listener: () => void): unknown;
  isTTY?: boolean;
  columns?: number;
  rows?: number;
}

export interface CliIO {
  stdout: OutStream;
  stderr: OutStream;
  env: NodeJS.ProcessEnv;
  /** The whole of standard input (`--snapshot -`, `-f -`), read asynchronously. */
  readStdin: () => Promise<string>;
  /** Wall clock in ms; the model never reads the clock itself. */
  now: () => number;
}
