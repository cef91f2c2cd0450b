#!/bin/sh
# kubectl (1.26+) runs this for `kubectl ds-inspect ARGS<TAB>` with the words typed so far as arguments;
# it answers with cobra's protocol (candidates one per line, then :<directive>) by asking the plugin.
# The plugin beside this file comes first (an unpacked release, or ~/.krew/bin), then the one on PATH.
# Shell built-ins only: it must work with any PATH.
case "$0" in
  */*) here="${0%/*}" ;;
  *) here=. ;;
esac
if [ -x "$here/kubectl-ds_inspect" ]; then
  exec "$here/kubectl-ds_inspect" __complete "$@"
fi
exec kubectl-ds_inspect __complete "$@"
