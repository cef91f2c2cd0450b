#!/usr/bin/env bash
# `npm run test:install`: installs ds-inspect the ways users do and runs it, after `npm run build:binary`
# and `npm run release`.
#  1. krew: builds krew and its validate-krew-manifest (sigs.k8s.io/krew, KREW_VERSION) from the Go
#     module into the test cache (${DS_INSPECT_CACHE:-~/.cache/ds-inspect}, keyed by krew version, Go
#     version and platform, so re-runs reuse it) and validates the manifest as krew-index does; then in a
#     throwaway KREW_ROOT: `kubectl krew install --manifest=plugins/ds-inspect.yaml --archive=...`, and
#     `kubectl ds-inspect --version` and `coverage --snapshot` through krew's symlink with a PATH that
#     holds no Node; shell completion through `kubectl __complete ds-inspect ...` after linking the helper
#     as the manifest's caveats say; the bash script from `completion bash`.
#  2. npm: `npm pack`, checks the tarball (LICENSE, completion helper, no source maps), installs it with
#     `npm install -g` into a temporary prefix and runs it the same way, then through `npx -p`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
KREW_VERSION=v0.4.3
version="$(node -p 'require("./package.json").version')"
os="$(node -p '({linux:"linux",darwin:"darwin",win32:"windows"})[process.platform]')"
arch="$(node -p '({x64:"amd64",arm64:"arm64"})[process.arch]')"
archive="$root/dist/release/kubectl-ds_inspect-$os-$arch.tar.gz"
manifest="$root/plugins/ds-inspect.yaml"
demo="$root/examples/demo-cluster.yaml"
passed=0
failed=0

fail() { echo "test-install: $*" >&2; exit 1; }
check() { # check NAME COMMAND...: runs COMMAND, counts it
  local name="$1"; shift
  if "$@"; then passed=$((passed + 1)); echo "ok - $name"; else failed=$((failed + 1)); echo "not ok - $name"; fi
}
# lines_equal "EXPECTED LINES" OUTPUT
lines_equal() { [ "$1" = "$2" ] || { printf 'expected:\n%s\ngot:\n%s\n' "$1" "$2" >&2; return 1; }; }
contains() { case "$2" in *"$1"*) return 0 ;; *) printf 'expected to contain %s, got:\n%s\n' "$1" "$2" >&2; return 1 ;; esac; }

[ -f "$archive" ] || fail "$archive is missing: run \`npm run build:binary && npm run release\` first"
[ -f "$manifest" ] || fail "$manifest is missing: run \`npm run release\` first"
command -v kubectl >/dev/null || fail "kubectl is not on PATH: install kubectl 1.26 or later"
command -v go >/dev/null || fail "go is not on PATH: install Go to build krew"
command -v git >/dev/null || fail "git is not on PATH: install git (krew keeps its plugin index in git)"

work="$(mktemp -d "${TMPDIR:-/tmp}/ds-inspect-install.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# ---- krew, built once per version/toolchain/platform
cache="${DS_INSPECT_CACHE:-$HOME/.cache/ds-inspect}"
key="krew-$KREW_VERSION-$(go env GOVERSION)-$(go env GOOS)-$(go env GOARCH)"
krew="$cache/$key/krew"
validate="$cache/$key/validate-krew-manifest"
if [ ! -x "$krew" ] || [ ! -x "$validate" ]; then
  echo "== building krew $KREW_VERSION (and its validate-krew-manifest) from its Go module into $cache/$key"
  mkdir -p "$cache"
  rm -rf "$cache/$key.partial"
  # The Go toolchain's own module proxy settings (GOPROXY) apply.
  (cd "$cache" && GOBIN="$cache/$key.partial" go install "sigs.k8s.io/krew/cmd/krew@$KREW_VERSION" "sigs.k8s.io/krew/cmd/validate-krew-manifest@$KREW_VERSION")
  rm -rf "${cache:?}/$key"
  mv "$cache/$key.partial" "$cache/$key"
else
  echo "== krew $KREW_VERSION from the cache ($cache/$key)"
fi

# A PATH with kubectl, krew (and git for its index) and nothing else: no Node, no coreutils.
tools="$work/tools"
mkdir -p "$tools"
ln -s "$(command -v kubectl)" "$tools/kubectl"
ln -s "$krew" "$tools/kubectl-krew"
export KREW_ROOT="$work/krew-root" KREW_NO_UPGRADE_CHECK=1
nonode_path="$KREW_ROOT/bin:$tools"
run_nonode() { env PATH="$nonode_path" "$@"; }

# The check krew-index runs on submitted manifests (the install part downloads the release, so skipped).
check "validate-krew-manifest accepts plugins/ds-inspect.yaml" "$validate" -manifest "$manifest" -skip-install

echo "== krew install --manifest=plugins/ds-inspect.yaml --archive=${archive#"$root"/}"
run_nonode kubectl krew install --manifest="$manifest" --archive="$archive" </dev/null
check "no node on the test PATH" env PATH="$nonode_path" "$BASH" -c '! command -v node' 
check "krew put the kubectl-ds_inspect symlink in KREW_ROOT/bin" test -L "$KREW_ROOT/bin/kubectl-ds_inspect"
# krew list and uninstall want a local plugin index, normally a git clone of krew-index; an empty git
# repository stands in for it (nothing here is installed from an index).
mkdir -p "$KREW_ROOT/index/default/plugins" && git -C "$KREW_ROOT/index/default" init -q
ln -s "$(command -v git)" "$tools/git"
check "kubectl krew list shows ds-inspect" contains ds-inspect "$(run_nonode kubectl krew list 2>&1)"
out="$(run_nonode kubectl ds-inspect --version)"
check "kubectl ds-inspect --version prints $version" lines_equal "$version" "$out"
out="$(run_nonode kubectl ds_inspect --version)"
check "kubectl ds_inspect (underscore) works too" lines_equal "$version" "$out"
out="$(run_nonode kubectl ds-inspect coverage --snapshot "$demo")"
check "kubectl ds-inspect coverage --snapshot demo shows the matrix" contains "READY/DESIRED 0/2 7/8 8/8 2/3" "$(tr -s " " <<<"$out")"
check "... and every DaemonSet matches its status counters" test "$(grep -c 'matches status' <<<"$out")" = 4
out="$(run_nonode kubectl ds-inspect coverage --snapshot "$demo" -o json)"
check "coverage -o json through krew" contains '"kind": "DaemonSetCoverage"' "$out"

echo "== completion through kubectl __complete, the helper linked as the caveats say"
store="$KREW_ROOT/store/ds-inspect/v$version"
check "the archive's completion helper and LICENSE were extracted" test -x "$store/kubectl_complete-ds_inspect" -a -f "$store/LICENSE"
check "the caveats name the helper's path" contains "store/ds-inspect/v$version/kubectl_complete-ds_inspect" "$(cat "$manifest")"
ln -s "$store/kubectl_complete-ds_inspect" "$KREW_ROOT/bin/"
out="$(run_nonode kubectl __complete ds-inspect ro 2>/dev/null | cut -f1)"
check "subcommands: ro<TAB> -> rollout" lines_equal $'rollout\n:4' "$out"
out="$(run_nonode kubectl __complete ds-inspect rollout undo --to-r 2>/dev/null | cut -f1)"
check "flags: rollout undo --to-r<TAB> -> --to-revision" lines_equal $'--to-revision\n:4' "$out"
out="$(run_nonode kubectl __complete ds-inspect coverage -o '' 2>/dev/null)"
check "-o values" lines_equal $'wide\njson\nyaml\nname\njsonpath=\njsonpath-file=\n:4' "$out"
out="$(run_nonode kubectl __complete ds-inspect why-not --snapshot "$demo" gpu 2>/dev/null)"
check "node names for why-not from a snapshot" lines_equal $'gpu-1\ngpu-2\n:4' "$out"
out="$(run_nonode kubectl __complete ds-inspect rollout history --snapshot "$demo" -n kube-system kube-proxy --revision '' 2>/dev/null)"
check "revision numbers for --revision" lines_equal $'2\n1\n:36' "$out"

echo "== bash completion script of the installed executable"
bash_complete() { # bash_complete LINE: what the script from `completion bash` offers for LINE<TAB>
  env PATH="$nonode_path" "$BASH" -c '
    source <(kubectl-ds_inspect completion bash)
    COMP_LINE="$1"; COMP_POINT=${#COMP_LINE}
    _kubectl_ds_inspect
    printf "%s\n" "${COMPREPLY[@]}"' _ "$1"
}
check "bash: kubectl-ds_inspect rollout st<TAB> -> status" lines_equal status "$(bash_complete 'kubectl-ds_inspect rollout st')"
check "bash: kubectl-ds_inspect coverage --snapshot DEMO -n kube-system <TAB>" lines_equal $'calico-node\nkube-proxy' "$(bash_complete "kubectl-ds_inspect coverage --snapshot $demo -n kube-system ")"

run_nonode kubectl krew uninstall ds-inspect >/dev/null
check "kubectl krew uninstall removes the symlink" test ! -e "$KREW_ROOT/bin/kubectl-ds_inspect"

# ---- npm
echo "== npm pack"
(cd "$work" && npm pack "$root" --silent >/dev/null 2>"$work/pack.log") || { cat "$work/pack.log" >&2; fail "npm pack failed"; }
tgz="$(ls "$work"/kubectl-ds-inspect-*.tgz)"
files="$(tar -tzf "$tgz")"
check "the package has LICENSE" contains package/LICENSE "$files"
check "the package has the completion helper" contains package/bin/kubectl_complete-ds_inspect "$files"
check "the package ships no source maps" bash -c "! grep -q '\\.map\$' <<<'$files'"
mkdir -p "$work/unpacked" && tar -xzf "$tgz" -C "$work/unpacked"
check "no shipped file points at a source map" bash -c "! grep -rl 'sourceMappingURL' '$work/unpacked/package'"
# A single executable's require() reaches only Node's built-in modules (anything else warns, then fails).
bundle_requires_only_builtins() {
  node -e '
    const { builtinModules } = require("node:module");
    const text = require("node:fs").readFileSync(process.argv[1], "utf8");
    const other = [...text.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]).filter((n) => !n.startsWith("node:") && !builtinModules.includes(n));
    if (other.length) { console.error("the bundle requires at run time: " + [...new Set(other)].join(", ")); process.exit(1); }
  ' "$1"
}
check "the bundle requires only Node's built-in modules" bundle_requires_only_builtins "$work/unpacked/package/dist/kubectl-ds_inspect.cjs"
check "package.json says Apache-2.0 and LICENSE is its text" bash -c "grep -q '\"license\": \"Apache-2.0\"' '$work/unpacked/package/package.json' && grep -q 'Apache License' '$work/unpacked/package/LICENSE' && grep -q 'Version 2.0, January 2004' '$work/unpacked/package/LICENSE'"

echo "== npm install -g into a temporary prefix"
npm install -g --prefix "$work/prefix" --no-audit --no-fund "$tgz" >/dev/null
npm_path="$work/prefix/bin:$PATH"
out="$(PATH="$npm_path" kubectl ds-inspect --version)"
check "npm: kubectl ds-inspect --version prints $version" lines_equal "$version" "$out"
out="$(PATH="$npm_path" kubectl ds-inspect coverage --snapshot "$demo")"
check "npm: coverage --snapshot demo" contains "READY/DESIRED 0/2 7/8 8/8 2/3" "$(tr -s " " <<<"$out")"
out="$(PATH="$npm_path" kubectl __complete ds-inspect coverage -o '' 2>/dev/null)"
check "npm: kubectl __complete through the packaged kubectl_complete-ds_inspect" lines_equal $'wide\njson\nyaml\nname\njsonpath=\njsonpath-file=\n:4' "$out"
out="$(cd "$work" && npm_config_cache="$work/npm-cache" npx --yes -p "$tgz" kubectl-ds_inspect --version)"
check "npx -p PACKAGE kubectl-ds_inspect --version" lines_equal "$version" "$out"

echo "test-install: $passed passed, $failed failed"
[ "$failed" = 0 ]
