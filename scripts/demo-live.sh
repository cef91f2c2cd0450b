#!/usr/bin/env bash
# A new user's first look at the live path: start the local control plane (built on first use), create
# the demo scenario with the real controllers, then run the plugin the way users do, through kubectl.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
line="$(bash "$root/test/cluster/up.sh" | tail -1)"
export KUBECONFIG="${line#KUBECONFIG=}"
node "$root/test/cluster/demo-scenario.mjs"
export PATH="$root/bin:$PATH"
run() { echo; echo "\$ kubectl $*"; kubectl "$@"; }
run ds-inspect coverage -A -o wide
run ds-inspect why-not worker-4 -A
run ds-inspect why-not small-1 calico-node -n kube-system
echo
echo "The cluster keeps running: export KUBECONFIG=$KUBECONFIG to explore; npm run cluster:down to stop it."
