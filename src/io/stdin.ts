// Reading standard input (`--snapshot -`, `-f -`) asynchronously: a synchronous read of fd 0 fails
// with EAGAIN when the pipe's other end set it non-blocking (common with `kubectl get ... | ...`).

import { UsageError } from '../errors.ts';

export async function defaultReadStdin(): Promise<string> {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    return Buffer.concat(chunks).toString('utf8');
  } catch (e) {
    throw new UsageError(`snapshot -: cannot read standard input: ${(e as Error).message}`);
  }
}
