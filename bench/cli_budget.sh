#!/usr/bin/env bash
# What --budget-file costs a decision: 500 retries of `false` (waits 0) with
# and without a shared budget file, with a file that already holds 10,000
# first attempts of other processes in one slot, and with one whose every
# slot holds counts (each decision loads the file's non-empty slots into the
# library's budget, one backoff_budget_record each: its cost grows with the
# slots in use, at most 33, not with the counts).
# Prints the added time per retry (best of 5 wall-clock runs, which on a
# loaded machine is mostly the noise of starting 500 processes) and, with
# valgrind installed, the instructions backoff itself executes per retry.
#
#   bench/cli_budget.sh [BACKOFF_BINARY]
set -euo pipefail

backoff=${1:-build/src/cli/backoff}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
spec='budget(ratio=0,min=1000,window=100)'
run=("$backoff" -q --tries 501 --wait constant --interval 0 --jitter none
     --policy "$spec")

seconds() { # seconds taken by the command given
  local start end
  start=$(date +%s%N)
  "$@" || true
  end=$(date +%s%N)
  echo $(((end - start) / 1000))
}

# A file holding `first` first attempts of other processes in its current
# slot, or, with `spread` 33, that many in each slot of the ring and one
# retry in each (the window's counts sit in every slot).
prefill() {
  rm -f "$1"
  "${run[@]}" --tries 1 --budget-file "$1" -- true
  python3 - "$1" "$2" "${3:-1}" <<'PY'
import struct, sys, time
path, first, spread = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, "r+b") as f:
    data = bytearray(f.read())
    window = struct.unpack_from("<d", data, 40)[0]
    now = int(time.monotonic() // (window / 32))
    for slot in range(now - spread + 1, now + 1):
        struct.pack_into("<qQQ", data, 88 + 24 * (slot % 33), slot, first,
                         0 if spread == 1 else 1)
    f.seek(0)
    f.write(data)
PY
}

best() { # the smallest of 5 runs, in microseconds
  local b=999999999 t
  for _ in 1 2 3 4 5; do
    t=$("$@")
    ((t < b)) && b=$t
  done
  echo "$b"
}

plain=$(best seconds "${run[@]}" -- false)
rm -f "$tmp/b"
shared=$(best seconds "${run[@]}" --budget-file "$tmp/b" -- false)
full() { prefill "$tmp/full" 10000; seconds "${run[@]}" --budget-file "$tmp/full" -- false; }
crowded=$(best full)
spread() { prefill "$tmp/spread" 300 33; seconds "${run[@]}" --budget-file "$tmp/spread" -- false; }
everywhere=$(best spread)

echo "500 retries, no budget file:            ${plain} us"
echo "500 retries, a budget file:             ${shared} us  (+$(((shared - plain) / 500)) us a retry)"
echo "500 retries, file with 10000 first att.: ${crowded} us  (+$(((crowded - plain) / 500)) us a retry)"
echo "500 retries, counts in all 33 slots:     ${everywhere} us  (+$(((everywhere - plain) / 500)) us a retry)"

if command -v valgrind >/dev/null; then
  instructions() { # user-space instructions of backoff itself (not `false`)
    valgrind --tool=callgrind --callgrind-out-file=/dev/null \
      --log-file="$tmp/cg" "$@" >/dev/null 2>&1 || true
    grep -o 'Collected : [0-9]*' "$tmp/cg" | grep -o '[0-9]*$'
  }
  i_plain=$(instructions "${run[@]}" -- false)
  rm -f "$tmp/b"
  i_shared=$(instructions "${run[@]}" --budget-file "$tmp/b" -- false)
  prefill "$tmp/full" 10000
  i_crowded=$(instructions "${run[@]}" --budget-file "$tmp/full" -- false)
  prefill "$tmp/spread" 300 33
  i_everywhere=$(instructions "${run[@]}" --budget-file "$tmp/spread" -- false)
  echo "instructions a retry: none $((i_plain / 500)), a budget file" \
    "$((i_shared / 500)), with 10000 first attempts $((i_crowded / 500))," \
    "counts in all 33 slots $((i_everywhere / 500))"
fi
