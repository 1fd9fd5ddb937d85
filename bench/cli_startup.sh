#!/usr/bin/env bash
# Start-up of the backoff command side by side with Debian's retry: the cost
# of wrapping a command that succeeds at once, which is what a script pays on
# every call. Rounds alternate between the commands, and the figures are the
# medians and minima over all rounds (this machine is shared: the mean is
# noise). Needs hyperfine and retry (scripts/setup installs both).
#
#   bench/cli_startup.sh [BACKOFF_BINARY] [ROUNDS] [RUNS_PER_ROUND]
#
# BASELINE=/path/to/an/older/backoff adds that binary to the comparison.
# With valgrind installed it also counts the instructions each start-up
# executes in user space (callgrind), which the machine's load does not
# change.
set -euo pipefail

backoff=${1:-build/src/cli/backoff}
rounds=${2:-5}
runs=${3:-200}
for tool in hyperfine retry python3; do
  command -v "$tool" >/dev/null || { echo "cli_startup: needs $tool (scripts/setup)" >&2; exit 2; }
done

commands=(
  "retry -t 1 -- true"
  "$backoff --tries 1 -- true"
  # what retry does by default: stdin captured, stdout held
  "$backoff --replay-stdin --hold-output --tries 1 -- true"
  "$backoff --version"
  "true"
)
if [ -n "${BASELINE:-}" ]; then
  commands+=("$BASELINE --tries 1 -- true")
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for ((round = 1; round <= rounds; round++)); do
  i=0
  for c in "${commands[@]}"; do
    hyperfine -N --warmup 20 --runs "$runs" --style none \
      --export-json "$out/$i.$round.json" "$c" >/dev/null
    i=$((i + 1))
  done
done

python3 - "$out" "${#commands[@]}" "${commands[@]}" <<'PY'
import glob, json, statistics, sys
out, n, commands = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
print(f"{'command':62} {'median':>9} {'min':>9}")
medians = {}
for i, command in enumerate(commands):
    times = []
    for path in glob.glob(f"{out}/{i}.*.json"):
        with open(path) as f:
            times += json.load(f)["results"][0]["times"]
    medians[command] = statistics.median(times)
    print(f"{command:62} {medians[command] * 1e3:8.3f}ms {min(times) * 1e3:8.3f}ms")
retry = medians[commands[0]]
for command in commands[1:3]:
    print(f"{command} / retry: {medians[command] / retry:.2f}")
PY

if command -v valgrind >/dev/null; then
  echo
  echo "user-space instructions (callgrind):"
  for c in "${commands[@]}"; do
    # shellcheck disable=SC2086 # each command is a word list
    valgrind --tool=callgrind --callgrind-out-file=/dev/null $c \
      </dev/null >/dev/null 2>"$out/cg"
    printf '%-62s %9s\n' "$c" "$(grep -o 'Collected : [0-9]*' "$out/cg" | grep -o '[0-9]*$')"
  done
fi
