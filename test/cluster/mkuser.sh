#!/usr/bin/env bash
# Issues a client certificate for USER (groups GROUP...) from the running local cluster's CA and
# writes a kubeconfig for it; prints the kubeconfig path. For RBAC-restricted end-to-end tests.
#   test/cluster/mkuser.sh USER [GROUP...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
[ $# -ge 1 ] || { echo "usage: $0 USER [GROUP...]" >&2; exit 2; }
user="$1"; shift
dir="$(cat "$here/.current" 2>/dev/null)" || { echo "no local cluster is running: npm run cluster:up" >&2; exit 1; }
bin="$(bash "$here/build.sh" 2>/dev/null | tail -1)"
args=(pki --dir "$dir/pki" --user "$user")
for g in "$@"; do args+=(--group "$g"); done
"$bin/controlplane" "${args[@]}"
server="$(awk '/server:/ {print $2; exit}' "$dir/kubeconfig")"
out="$dir/kubeconfig-$user"
cat >"$out" <<KCFG
apiVersion: v1
kind: Config
clusters:
- name: ds-inspect-local
  cluster: {server: "$server", certificate-authority: "$dir/pki/ca.crt"}
users:
- name: $user
  user: {client-certificate: "$dir/pki/user-$user.crt", client-key: "$dir/pki/user-$user.key"}
contexts:
- name: $user@ds-inspect-local
  context: {cluster: ds-inspect-local, user: $user}
current-context: $user@ds-inspect-local
KCFG
chmod 600 "$out"
echo "$out"
