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
