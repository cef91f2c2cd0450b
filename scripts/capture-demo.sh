#!/usr/bin/env bash
# Regenerates examples/demo-cluster.yaml from the real controllers: start the local control plane,
# create the demo scenario, and capture it with the same command the README tells users to run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
line="$(bash "$root/test/cluster/up.sh" | tail -1)"
export KUBECONFIG="${line#KUBECONFIG=}"
node "$root/test/cluster/demo-scenario.mjs"
{
  echo "# Captured from the local control plane (kube-apiserver/controller-manager/scheduler v1.33, kwok)"
  echo "# by scripts/capture-demo.sh: test/cluster/demo-scenario.mjs, then"
  echo "#   kubectl get nodes,daemonsets,pods,controllerrevisions,events -A -o yaml"
  kubectl get nodes,daemonsets,pods,controllerrevisions,events -A -o yaml
} >"$root/examples/demo-cluster.yaml"
echo "wrote examples/demo-cluster.yaml" >&2
