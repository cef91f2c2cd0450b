#!/usr/bin/env bash
# Starts a real local Kubernetes control plane on loopback: embedded etcd, kube-apiserver (RBAC on),
# kube-controller-manager, kube-scheduler (all upstream v1.33, from ./controlplane) and kwok, which
# plays kubelet for every Node annotated kwok.x-k8s.io/node=fake. Random free ports, a fresh data
# directory, PIDs recorded for down.sh. Waits until the cluster is usable (apiserver ready, default
# ServiceAccount created, a probe node turned Ready by kwok) and prints KUBECONFIG=<path> last.
# If the cluster recorded in test/cluster/.current is still up, it is reused.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
current="$here/.current"
log() { echo "cluster: $*" >&2; }

kubectl_admin() { kubectl --kubeconfig "$dir/kubeconfig" --request-timeout=10s "$@"; }

if [ -f "$current" ]; then
  dir="$(cat "$current")"
  if [ -f "$dir/kubeconfig" ] && kubectl_admin get --raw /readyz >/dev/null 2>&1; then
    log "reusing the running cluster in $dir"
    echo "KUBECONFIG=$dir/kubeconfig"
    exit 0
  fi
  log "stale record $dir: cleaning up"
  bash "$here/down.sh" >&2 || true
fi

bin="$(bash "$here/build.sh" | tail -1)"
cp_bin="$bin/controlplane"
dir="$(mktemp -d "${TMPDIR:-/tmp}/ds-inspect-cluster.XXXXXX")"
echo "$dir" >"$current"
mkdir -p "$dir/logs" "$dir/pki"
: >"$dir/pids"
echo "$bin" >"$dir/bindir"

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
etcd_port="$(free_port)"; peer_port="$(free_port)"; api_port="$(free_port)"
while [ "$peer_port" = "$etcd_port" ]; do peer_port="$(free_port)"; done
while [ "$api_port" = "$etcd_port" ] || [ "$api_port" = "$peer_port" ]; do api_port="$(free_port)"; done

start() { # name cmd... : detached (own session) so it outlives this script; PID recorded
  local name="$1"; shift
  setsid "$@" >"$dir/logs/$name.log" 2>&1 </dev/null &
  echo "$! $name" >>"$dir/pids"
}
fail() {
  log "$1 (logs in $dir/logs); stopping what was started"
  for f in "$dir"/logs/*.log; do echo "--- tail $f" >&2; tail -5 "$f" >&2; done
  bash "$here/down.sh" >&2 || true
  exit 1
}
wait_for() { # seconds description command...
  local secs="$1" what="$2"; shift 2
  local deadline=$(( $(date +%s) + secs ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "timed out after ${secs}s waiting for $what"
    sleep 0.5
  done
}

"$cp_bin" pki --dir "$dir/pki"
pki="$dir/pki"
cat >"$dir/kubeconfig" <<KCFG
apiVersion: v1
kind: Config
clusters:
- name: ds-inspect-local
  cluster:
    server: https://127.0.0.1:$api_port
    certificate-authority: $pki/ca.crt
users:
- name: kube-admin
  user:
    client-certificate: $pki/admin.crt
    client-key: $pki/admin.key
contexts:
- name: ds-inspect-local
  context: {cluster: ds-inspect-local, user: kube-admin}
current-context: ds-inspect-local
KCFG
chmod 600 "$dir/kubeconfig"

start etcd "$cp_bin" etcd --data-dir "$dir/etcd" \
  --listen-client-url "http://127.0.0.1:$etcd_port" --listen-peer-url "http://127.0.0.1:$peer_port"
wait_for 60 etcd grep -q "etcd ready" "$dir/logs/etcd.log"

start kube-apiserver "$cp_bin" apiserver \
  --etcd-servers="http://127.0.0.1:$etcd_port" --etcd-prefix=/registry \
  --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$api_port" \
  --service-cluster-ip-range=10.96.0.0/12 --allow-privileged=true \
  --authorization-mode=Node,RBAC \
  --client-ca-file="$pki/ca.crt" --tls-cert-file="$pki/admin.crt" --tls-private-key-file="$pki/admin.key" \
  --service-account-key-file="$pki/sa.key" --service-account-signing-key-file="$pki/sa.key" \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --max-requests-inflight=2000 --max-mutating-requests-inflight=1000 --enable-priority-and-fairness=false
wait_for 120 "kube-apiserver /readyz" kubectl_admin get --raw /readyz

# QPS limits raised as kwokctl does with --disable-qps-limits: the benchmark has ~10,000 pods.
# Grace 60s: with 1,000 kwok nodes on 2 cores lease renewals (every 10s) can lag past 20s, and pods
# marked not Ready then stay so (kwok, unlike a kubelet, does not report them Ready again).
start kube-controller-manager "$cp_bin" controller-manager \
  --kubeconfig="$dir/kubeconfig" --leader-elect=false --secure-port=0 \
  --root-ca-file="$pki/ca.crt" --service-account-private-key-file="$pki/sa.key" \
  --use-service-account-credentials=false --kube-api-qps=5000 --kube-api-burst=10000 \
  --node-monitor-period=2s --node-monitor-grace-period=60s
start kube-scheduler "$cp_bin" scheduler \
  --kubeconfig="$dir/kubeconfig" --leader-elect=false --secure-port=0 \
  --kube-api-qps=5000 --kube-api-burst=10000
# kwok v0.7.0: always give a lease duration (its default of 0 picks the wrong heartbeat stage).
start kwok "$bin/kwok" --kubeconfig="$dir/kubeconfig" --config="$here/kwok.yaml" \
  --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
  --node-lease-duration-seconds=40 --cidr=10.244.0.0/16 --node-ip=10.0.0.1

wait_for 120 "the default ServiceAccount" kubectl_admin get serviceaccount default -n default
probe="ds-inspect-probe-$$"
kubectl_admin create -f - >/dev/null <<NODE
apiVersion: v1
kind: Node
metadata:
  name: $probe
  annotations: {kwok.x-k8s.io/node: fake}
  labels: {kubernetes.io/hostname: $probe, ds-inspect.test/probe: "true"}
spec:
  taints: [{key: ds-inspect.test/probe, effect: NoExecute}]
NODE
wait_for 120 "kwok to make a node Ready" kubectl_admin wait --for=condition=Ready "node/$probe" --timeout=2s
kubectl_admin delete node "$probe" --wait=false >/dev/null
log "up in $dir (apiserver https://127.0.0.1:$api_port); stop it with: npm run cluster:down"
echo "KUBECONFIG=$dir/kubeconfig"
