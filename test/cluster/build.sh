#!/usr/bin/env bash
# Builds the local control plane (one multicall binary: kube-apiserver, kube-controller-manager,
# kube-scheduler from upstream k8s.io/kubernetes, embedded etcd, test PKI) and kwok, into a cache
# directory outside the repo keyed by a hash of the inputs, so a fresh clone on the same machine reuses
# the binaries. Prints the bin directory as its last line.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
KWOK_VERSION="v0.7.0"
K8S_VERSION="$(awk '$1=="k8s.io/kubernetes" {print $2; exit}' "$here/controlplane/go.mod")"
# The module proxy is the Go toolchain's own configuration (GOPROXY from the environment or go env).
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=readonly
hash="$( (cat "$here/controlplane/go.mod" "$here/controlplane/go.sum" "$here"/controlplane/*.go; echo "$KWOK_VERSION"; go version) | sha256sum | cut -c1-16)"
bin="${DS_INSPECT_CACHE:-$HOME/.cache/ds-inspect}/cluster/$hash/bin"
if [ -f "$bin/.complete" ]; then
  echo "control plane binaries up to date in $bin" >&2
  echo "$bin"
  exit 0
fi
mkdir -p "$bin"
start=$(date +%s)
echo "building kube-apiserver, kube-controller-manager, kube-scheduler $K8S_VERSION and etcd (first build takes 20-40 minutes on 2 cores)..." >&2
minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
pkgv="k8s.io/component-base/version"
cgv="k8s.io/client-go/pkg/version"
ldflags="-s -w"
for p in "$pkgv" "$cgv"; do
  ldflags+=" -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
done
(cd "$here/controlplane" && go build -trimpath -ldflags "$ldflags" -o "$bin/controlplane" .)
echo "building kwok $KWOK_VERSION..." >&2
GOBIN="$bin" GOFLAGS= go install "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
touch "$bin/.complete"
echo "built in $(( $(date +%s) - start ))s" >&2
echo "$bin"
