#!/usr/bin/env bash
# A stand-in for a flaky service: fails the first FAILURES times it is run
# (default 2), then succeeds. It counts its runs in COUNTER_FILE, so give it
# a fresh file for each demonstration:
#
#   backoff -v -- examples/flaky.sh "$(mktemp)"
set -euo pipefail

if (($# < 1 || $# > 2)); then
  echo "usage: flaky.sh COUNTER_FILE [FAILURES]" >&2
  exit 2
fi
counter_file=$1
failures=${2:-2}

runs=$(($(cat "$counter_file" 2>/dev/null || echo 0) + 1))
echo "$runs" >"$counter_file"

if ((runs <= failures)); then
  echo "flaky.sh: run $runs: service unavailable" >&2
  exit 1
fi
echo "flaky.sh: run $runs: ok"
