#!/usr/bin/env bash
# Stops exactly the processes up.sh started (PIDs recorded in the data dir) and removes the data dir.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
current="$here/.current"
[ -f "$current" ] || { echo "cluster: nothing recorded as running" >&2; exit 0; }
dir="$(cat "$current")"
# A recorded PID is ours only if that process still runs one of our binaries (PIDs get reused).
bindir="$(cat "$dir/bindir" 2>/dev/null || echo /nonexistent)"
ours() { case "$(readlink "/proc/$1/exe" 2>/dev/null)" in "$bindir"/*) return 0 ;; *) return 1 ;; esac; }
if [ -f "$dir/pids" ]; then
  # Stop in reverse start order: kwok and controllers first, etcd last.
  tac "$dir/pids" | while read -r pid name; do
    if ours "$pid"; then kill -TERM "$pid" 2>/dev/null || true; fi
  done
  for _ in $(seq 1 40); do
    alive=0
    while read -r pid name; do ours "$pid" && alive=1; done <"$dir/pids"
    [ "$alive" = 0 ] && break
    sleep 0.25
  done
  while read -r pid name; do ours "$pid" && kill -KILL "$pid" 2>/dev/null; done <"$dir/pids"
fi
case "$dir" in */ds-inspect-cluster.*) rm -rf "$dir" ;; esac
rm -f "$current"
echo "cluster: stopped" >&2
