#!/usr/bin/env bash
# Runs each scenario of backoff-sim ($1) twice with one seed and compares the
# CSV files byte for byte; a different seed must change them (or the check
# would pass for a simulator that ignores its seed).
set -euo pipefail
sim=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

small=(
  "contention --clients 1-12 --reps 3"
  "contention --clients 1-12 --reps 3 --model occ"
  "outage --clients 20 --duration 20 --start 5 --length 5"
  "overload --clients 20 --duration 20 --start 5 --length 3 --factor 8 --capacity 200"
)
failed=0
case_number=0
for args in "${small[@]}"; do
  case_number=$((case_number + 1))
  name=${args%% *}-$case_number
  for run in a b; do
    # shellcheck disable=SC2086 # the arguments are words on purpose
    "$sim" $args --seed 7 --runs "$dir/$name-$run.csv" \
      --intervals "$dir/$name-$run-intervals.csv"
  done
  # shellcheck disable=SC2086
  "$sim" $args --seed 8 --runs "$dir/$name-c.csv" \
    --intervals "$dir/$name-c-intervals.csv"
  if ! cmp -s "$dir/$name-a.csv" "$dir/$name-b.csv" ||
     ! cmp -s "$dir/$name-a-intervals.csv" "$dir/$name-b-intervals.csv"; then
    echo "FAIL: $args: seed 7 gave two different CSV files"
    failed=1
  elif cmp -s "$dir/$name-a-intervals.csv" "$dir/$name-c-intervals.csv"; then
    echo "FAIL: $args: seeds 7 and 8 gave the same intervals"
    failed=1
  else
    echo "ok: $args: same seed, same bytes ($(wc -c <"$dir/$name-a-intervals.csv") B of intervals)"
  fi
done
exit $failed
