#!/usr/bin/env node
// `npm run build` (after tsc): bundles src/main.ts and every dependency into one CommonJS file,
// dist/kubectl-ds_inspect.cjs. The npm package's bin runs it, and the single executable
// (scripts/build-binary.mjs) is made from it: Node's SEA runs one CommonJS script whose require() reaches
// only Node's built-in modules.
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;

// Optional packages that dependencies try to require() inside try/catch (node-fetch: encoding; debug:
// supports-color) and that are not installed. Left as run-time require() calls, they make a single
// executable warn on every run; bundled as modules that throw "not found", the catch takes over as before.
const OPTIONAL_ABSENT = ['encoding', 'supports-color'];
const absentOptional = {
  name: 'absent-optional',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^(${OPTIONAL_ABSENT.join('|')})$`) }, (args) => ({ path: args.path, namespace: 'absent' }));
    b.onLoad({ filter: /.*/, namespace: 'absent' }, (args) => ({
      contents: `throw Object.assign(new Error("Cannot find module '${args.path}'"), { code: 'MODULE_NOT_FOUND' });`,
      loader: 'js',
    }));
  },
};
const result = await build({
  absWorkingDir: root,
  entryPoints: ['src/main.ts'],
  outfile: 'dist/kubectl-ds_inspect.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  legalComments: 'eof',
  logLevel: 'warning',
  metafile: true,
  plugins: [absentOptional],
});
const bytes = Object.values(result.metafile.outputs)[0]?.bytes ?? 0;
process.stderr.write(`bundle: dist/kubectl-ds_inspect.cjs (${(bytes / 2 ** 20).toFixed(1)} MB)\n`);
