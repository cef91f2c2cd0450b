// The entry of the bundle (dist/kubectl-ds_inspect.cjs, scripts/bundle.mjs) that both the single
// executable and the npm package's bin run. `--version` answers before anything else is loaded; the
// command layer is imported on demand (esbuild keeps that import lazy inside the bundle).
//
// In a single executable built with a startup snapshot (scripts/build-binary.mjs --snapshot), this file
// runs at build time: it loads the command layer into the snapshot and registers the real start as the
// function Node calls when the executable starts.

import { startupSnapshot } from 'node:v8';
import { VERSION } from './version.ts';

function start(argv: string[]): void {
  // A reader that goes away (`| head -1`, `less` quit early) closes our stdout: end quietly with the
  // status of a program killed by SIGPIPE (128 + 13), as kubectl does, instead of a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(141);
      throw e;
    });
  }
  if (argv.length === 1 && argv[0] === '--version') {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  void import('./cli.ts').then(async ({ main }) => {
    const code = await main(argv);
    // Completion answers on every <TAB>: a cluster read that timed out must not keep the shell waiting.
    if (argv[0] === '__complete') process.stdout.write('', () => process.exit(code));
    else process.exitCode = code;
  });
}

if (startupSnapshot.isBuildingSnapshot()) {
  void import('./cli.ts');
  startupSnapshot.setDeserializeMainFunction(() => start(process.argv.slice(2)));
} else {
  start(process.argv.slice(2));
}
