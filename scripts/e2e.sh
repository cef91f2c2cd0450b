#!/usr/bin/env bash
# End-to-end tests against the real local control plane: start it once (building it on first use),
# run every test/e2e file against it one at a time, stop it afterwards unless it was already running.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
was_running=0
[ -f "$root/test/cluster/.current" ] && was_running=1
line="$(bash "$root/test/cluster/up.sh" | tail -1)"
export DS_INSPECT_E2E_KUBECONFIG="${line#KUBECONFIG=}"
if [ "$was_running" = 0 ] && [ "${DS_INSPECT_KEEP_CLUSTER:-}" = "" ]; then
  trap 'bash "$root/test/cluster/down.sh"' EXIT
fi
npm run --silent build >/dev/null
# With arguments, only those test files (or directories) run.
targets=("$@"); [ ${#targets[@]} -eq 0 ] && targets=("$root/test/e2e")
TEST_ARGS="--test-concurrency=1 ${TEST_ARGS:-}" node "$root/scripts/run-tests.mjs" "${targets[@]}"
