// Exec credential plugins, run for real: small shell scripts written to a temp dir play the plugin
// (a good one, one that fails silently, one that prints garbage holding a secret, a device-code login
// that prints a URL on stderr and reads the answer from stdin, one that never ends, ...).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { RuntimeError, UsageError } from '../../src/errors.ts';
import { execInfo, runExecPlugin, validateExecConfig, type ExecConfig, type ExecContext } from '../../src/io/exec-credential.ts';
import { httpsOptions, resolveConnection } from '../../src/io/kubeconfig.ts';

const SECRET = 'plugin-secret-do-not-print';
const V1 = 'client.authentication.k8s.io/v1';
const V1B1 = 'client.authentication.k8s.io/v1beta1';
const T = join(import.meta.dirname, '..', 'fixtures', 'tls');
let tmp = '';

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'ds-inspect-exec-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Writes an executable sh script; returns its path. */
function plugin(name: string, body: string): string {
  const p = join(tmp, name);
  writeFileSync(p, `#!/bin/sh\n${body}\n`);
  chmodSync(p, 0o755);
  return p;
}

const cred = (status: unknown, apiVersion = V1): string => JSON.stringify({ kind: 'ExecCredential', apiVersion, status });
/** A plugin that records KUBERNETES_EXEC_INFO and its stdin's first line, prints `out`. */
function recording(name: string, out: string): string {
  return plugin(name, `printf '%s' "$KUBERNETES_EXEC_INFO" > "$0.info"\nprintf '%s' "$EXTRA" > "$0.env"\ncat <<'EOF'\n${out}\nEOF`);
}

function cfg(command: string, extra: Partial<ExecConfig> = {}): ExecConfig {
  return { command, args: [], env: [], apiVersion: V1, interactiveMode: 'Never', provideClusterInfo: false, installHint: '', ...extra };
}

let stderrFile = '';
function ctx(extra: Partial<ExecContext> = {}): ExecContext {
  stderrFile = join(tmp, `stderr-${Math.random().toString(36).slice(2)}`);
  return { env: { PATH: process.env.PATH }, stdinIsTerminal: false, stdin: 0, stderr: openSync(stderrFile, 'w'), now: Date.now, ...extra };
}

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  assert.fail('expected a failure');
}

describe('a good plugin', () => {
  test('token, KUBERNETES_EXEC_INFO without cluster, exec.env, stdin not given when Never', async () => {
    const p = recording('good', cred({ token: SECRET, expirationTimestamp: '2999-01-01T00:00:00Z' }));
    const r = await runExecPlugin(cfg(p, { env: [{ name: 'EXTRA', value: 'from-exec-env' }] }), { server: 'https://x:6443' }, ctx());
    assert.deepEqual(r, { token: SECRET });
    assert.deepEqual(JSON.parse(readFileSync(`${p}.info`, 'utf8')), { kind: 'ExecCredential', apiVersion: V1, spec: { interactive: false } });
    assert.equal(readFileSync(`${p}.env`, 'utf8'), 'from-exec-env');
  });

  test('provideClusterInfo puts spec.cluster in KUBERNETES_EXEC_INFO (v1beta1 too)', async () => {
    const p = recording('cluster-info', cred({ token: 't' }, V1B1));
    const cluster = { server: 'https://x:6443', 'certificate-authority-data': 'Q0E=', config: { audience: 'a' } };
    await runExecPlugin(cfg(p, { apiVersion: V1B1, provideClusterInfo: true }), cluster, ctx());
    assert.deepEqual(JSON.parse(readFileSync(`${p}.info`, 'utf8')), { kind: 'ExecCredential', apiVersion: V1B1, spec: { cluster, interactive: false } });
  });

  test('interactive (IfAvailable on a terminal): stderr reaches the terminal, stdin is the user\'s', async () => {
    // a device-code login: prints the URL on stderr, waits for the user's answer on stdin
    const p = plugin('device-code', `echo "open https://login.example/device and enter ABCD-EFGH" >&2\nread answer\nprintf '%s' "$KUBERNETES_EXEC_INFO" > "$0.info"\necho '${cred({ token: 'token-for-' })}' | sed "s/token-for-/token-for-$answer/"`);
    const input = join(tmp, 'answer');
    writeFileSync(input, 'approved\n');
    const stdin = openSync(input, 'r');
    const c = ctx({ stdinIsTerminal: true, stdin });
    const r = await runExecPlugin(cfg(p, { interactiveMode: 'IfAvailable' }), undefined, c);
    closeSync(stdin);
    closeSync(c.stderr);
    assert.deepEqual(r, { token: 'token-for-approved' });
    assert.equal(readFileSync(stderrFile, 'utf8'), 'open https://login.example/device and enter ABCD-EFGH\n');
    assert.equal((JSON.parse(readFileSync(`${p}.info`, 'utf8')) as { spec: { interactive: boolean } }).spec.interactive, true);
  });

  test('IfAvailable without a terminal: not interactive, stdin is /dev/null', async () => {
    const p = plugin('no-tty', `if read line; then echo "read: $line" >&2; exit 3; fi\necho '${cred({ token: 't' })}'`);
    const input = join(tmp, 'unwanted');
    writeFileSync(input, 'should not be read\n');
    const stdin = openSync(input, 'r');
    assert.deepEqual(await runExecPlugin(cfg(p, { interactiveMode: 'IfAvailable' }), undefined, ctx({ stdin })), { token: 't' });
    closeSync(stdin);
  });

  test('client certificate and key from the plugin reach the TLS options, through the kubeconfig', async () => {
    const certPem = readFileSync(join(T, 'client.crt'), 'utf8');
    const keyPem = readFileSync(join(T, 'client.key'), 'utf8');
    const p = plugin('cert', `cat <<'EOF'\n${cred({ clientCertificateData: certPem, clientKeyData: keyPem })}\nEOF`);
    const kc = join(tmp, 'cert-kubeconfig.yaml');
    writeFileSync(
      kc,
      JSON.stringify({
        clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1', 'certificate-authority': join(T, 'server.crt') } }],
        users: [{ name: 'u', user: { exec: { apiVersion: V1, command: p, interactiveMode: 'Never' } } }],
        contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'c',
      }),
    );
    const conn = resolveConnection({ kubeconfig: kc }, { PATH: process.env.PATH });
    const o = await httpsOptions(conn, undefined, { env: { PATH: process.env.PATH } });
    assert.equal(o.cert?.toString(), certPem);
    assert.equal(o.key?.toString(), keyPem);
    assert.equal(o.headers.Authorization, undefined);
  });
});

describe('on a real terminal (util-linux `script` gives the process a pseudo-terminal)', () => {
  test('interactiveMode Always: the prompt reaches the terminal and the answer typed there reaches the plugin', async () => {
    const p = plugin('tty-login', `[ -t 0 ] || { echo "stdin is not a terminal" >&2; exit 9; }\necho "open https://login.example/device, then type the code:" >&2\nread answer\necho '${cred({ token: 'tty-' })}' | sed "s/tty-/tty-$answer/"`);
    const kc = join(tmp, 'tty-kubeconfig.json');
    writeFileSync(
      kc,
      JSON.stringify({
        clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1', 'insecure-skip-tls-verify': true } }],
        users: [{ name: 'u', user: { exec: { apiVersion: V1, command: p, interactiveMode: 'Always' } } }],
        contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'c',
      }),
    );
    const runner = join(tmp, 'tty-runner.mts');
    const src = JSON.stringify(join(import.meta.dirname, '..', '..', 'src', 'io', 'kubeconfig.ts'));
    // the default exec context: the process's own stdin (fd 0) and stderr (fd 2)
    writeFileSync(runner, `import { httpsOptions, resolveConnection } from ${src};\nconst o = await httpsOptions(resolveConnection({ kubeconfig: ${JSON.stringify(kc)} }, process.env));\nconsole.log('AUTH=' + String(o.headers.Authorization));\n`);
    const cmd = `${JSON.stringify(process.execPath)} --import tsx ${JSON.stringify(runner)}`;
    const run = promisify(execFile)('script', ['-qec', cmd, '/dev/null'], { cwd: join(import.meta.dirname, '..', '..'), encoding: 'utf8', timeout: 60_000 });
    run.child.stdin!.end('WXYZ\n'); // typed on the terminal
    const out = (await run).stdout.replace(/\r/g, '');
    assert.match(out, /open https:\/\/login\.example\/device, then type the code:\n/);
    assert.match(out, /^AUTH=Bearer tty-WXYZ$/m);
  });
});

describe('a bad plugin: one line naming the command, never its stdout', () => {
  const cases: { name: string; body: string; config?: Partial<ExecConfig>; context?: Partial<ExecContext>; message: RegExp }[] = [
    { name: 'exits 1 with no stderr', body: 'exit 1', message: /^exec plugin "\S+exits-1-with-no-stderr" failed with exit code 1$/ },
    { name: 'prints no status', body: `echo '{"kind":"ExecCredential","apiVersion":"${V1}"}'`, message: /^exec plugin "\S+" didn't return a status field/ },
    { name: 'wrong apiVersion', body: `echo '${cred({ token: SECRET }, V1B1)}'`, message: /^exec plugin "\S+" is configured to use API version client\.authentication\.k8s\.io\/v1, but returned "client\.authentication\.k8s\.io\/v1beta1"/ },
    { name: 'apiVersion holding a secret is not quoted', body: `echo '${cred({ token: 'x' }, SECRET + ' !')}'`, message: /but returned another or no version/ },
    { name: 'malformed JSON', body: `echo '{"kind":"ExecCredential","status":{"token":"${SECRET}"'`, message: /^exec plugin "\S+" printed something that is not JSON on stdout, where an ExecCredential was expected \(output not shown/ },
    { name: 'prints nothing', body: 'true', message: /printed nothing on stdout/ },
    { name: 'not an ExecCredential', body: `echo '{"token":"${SECRET}"}'`, message: /printed JSON that is not an ExecCredential/ },
    { name: 'expired credential', body: `echo '${cred({ token: SECRET, expirationTimestamp: '2020-01-01T00:00:00Z' })}'`, message: /returned a credential that expired at 2020-01-01T00:00:00\.000Z; log in again/ },
    { name: 'bad expirationTimestamp', body: `echo '${cred({ token: SECRET, expirationTimestamp: 'tomorrow' })}'`, message: /expirationTimestamp that is not an RFC 3339 time/ },
    { name: 'non-string token', body: `echo '{"kind":"ExecCredential","apiVersion":"${V1}","status":{"token":12345}}'`, message: /returned a status\.token that is not a string/ },
    { name: 'no token, no certificate', body: `echo '${cred({})}'`, message: /didn't return a token or a client certificate and key/ },
    { name: 'certificate without key', body: `echo '${cred({ clientCertificateData: 'PEM' })}'`, message: /returned only a client certificate or only a key, not both/ },
    { name: 'killed by a signal', body: 'kill -9 $$', message: /was killed by SIGKILL/ },
    { name: 'floods stdout', body: `echo '${SECRET}'\nexec head -c 3000000 /dev/zero`, message: /printed more than 1 MiB on stdout, which is not an ExecCredential$/ },
    {
      name: 'never finishes (timeout)',
      body: `echo '${cred({ token: SECRET })}'\nexec sleep 30`,
      context: { timeoutMs: 300 },
      message: /^exec plugin "\S+" did not finish within 0\.3 s and was stopped; check that it can run without a prompt/,
    },
    { name: 'Always without a terminal', body: `echo '${cred({ token: 't' })}'`, config: { interactiveMode: 'Always' }, message: /cannot support interactive mode: standard input is not a terminal \(interactiveMode: Always\)/ },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const p = plugin(c.name.replace(/[^a-z0-9]+/gi, '-'), c.body);
      const e = await failure(runExecPlugin(cfg(p, c.config), undefined, ctx(c.context)));
      assert.ok(e instanceof RuntimeError, String(e));
      assert.match(e.message, c.message);
      assert.ok(!e.message.includes('\n'), 'one line');
      assert.ok(!e.message.includes(SECRET), 'never the plugin output');
    });
  }

  test('not installed: the install hint, on one line', async () => {
    const e = await failure(runExecPlugin(cfg('no-such-plugin-ds-inspect', { installHint: 'Install it with:\n  brew install thing' }), undefined, ctx()));
    assert.match(e.message, /^exec plugin "no-such-plugin-ds-inspect" not found \(Install it with: brew install thing\): install it, or fix users\[\]\.user\.exec\.command/);
  });

  test('not executable', async () => {
    const p = join(tmp, 'not-executable');
    writeFileSync(p, '#!/bin/sh\n');
    chmodSync(p, 0o644);
    assert.match((await failure(runExecPlugin(cfg(p), undefined, ctx()))).message, /cannot be run \(permission denied\): make it executable$/);
  });
});

describe('exec configuration, checked as kubectl checks it', () => {
  const cases: { name: string; exec: Record<string, unknown>; want: RegExp | Partial<ExecConfig> }[] = [
    { name: 'v1 without interactiveMode', exec: { apiVersion: V1, command: 'x' }, want: /interactiveMode must be specified/ },
    { name: 'v1beta1 defaults to IfAvailable', exec: { apiVersion: V1B1, command: 'x' }, want: { interactiveMode: 'IfAvailable' } },
    { name: 'no apiVersion', exec: { command: 'x', interactiveMode: 'Never' }, want: /exec has no apiVersion/ },
    { name: 'v1alpha1 is gone', exec: { apiVersion: 'client.authentication.k8s.io/v1alpha1', command: 'x', interactiveMode: 'Never' }, want: /is not supported/ },
    { name: 'bad interactiveMode', exec: { apiVersion: V1, command: 'x', interactiveMode: 'Sometimes' }, want: /invalid exec interactiveMode "Sometimes"/ },
    { name: 'no command', exec: { apiVersion: V1, interactiveMode: 'Never' }, want: /exec has no command/ },
    { name: 'env without name', exec: { apiVersion: V1, command: 'x', interactiveMode: 'Never', env: [{ value: 'v' }] }, want: /every exec env entry needs a name/ },
    { name: 'args not strings', exec: { apiVersion: V1, command: 'x', interactiveMode: 'Never', args: [1] }, want: /args must be a list of strings/ },
    {
      name: 'everything',
      exec: { apiVersion: V1, command: 'x', args: ['a'], env: [{ name: 'N', value: 'v' }], interactiveMode: 'Always', provideClusterInfo: true, installHint: 'h' },
      want: { command: 'x', args: ['a'], env: [{ name: 'N', value: 'v' }], interactiveMode: 'Always', provideClusterInfo: true, installHint: 'h' },
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      if (c.want instanceof RegExp) {
        assert.throws(() => validateExecConfig(c.exec, 'u', 'kubeconfig k.yaml'), (e) => e instanceof UsageError && c.want instanceof RegExp && c.want.test(e.message) && e.message.startsWith('user "u" in kubeconfig k.yaml: '));
      } else {
        const got = validateExecConfig(c.exec, 'u', 'k');
        for (const [k, v] of Object.entries(c.want)) assert.deepEqual(got[k as keyof ExecConfig], v, k);
      }
    });
  }

  test('KUBERNETES_EXEC_INFO leaves the cluster out unless provideClusterInfo', () => {
    assert.deepEqual(JSON.parse(execInfo(cfg('x'), true, { server: 's' })), { kind: 'ExecCredential', apiVersion: V1, spec: { interactive: true } });
    assert.deepEqual((JSON.parse(execInfo(cfg('x', { provideClusterInfo: true }), false, { server: 's' })) as { spec: unknown }).spec, { cluster: { server: 's' }, interactive: false });
  });
});
