#!/usr/bin/env bash
# What entity tagging adds to `onrecord extract`: the same texts extracted
# with and without entities, alternating, in one run; the best of N runs of
# each. Prints words/s for both and the ratio of their times, and the
# median of the ratios of each alternating pair (steadier than the ratio
# of the bests on a machine that other jobs share).
#
#   bench/entities.sh [DIR...]   (default: PolNeAR train + dev texts)
#   THREADS=1 RUNS=3 bench/entities.sh
#   ONRECORD_BIN=path/to/onrecord bench/entities.sh   (another binary, no build)
set -euo pipefail
cd "$(dirname "$0")/.."
dirs=("$@")
if [ ${#dirs[@]} -eq 0 ]; then
  dirs=(../shared/data/polnear/train/text ../shared/data/polnear/dev/text)
fi
threads=${THREADS:-1}
runs=${RUNS:-3}
if [ -n "${ONRECORD_BIN:-}" ]; then
  bin=$ONRECORD_BIN
else
  cargo build --release --quiet
  bin=target/release/onrecord
fi
words=$(find "${dirs[@]}" -type f -exec cat {} + | wc -w)
best() { sort -n | head -1; }
t_without=(); t_with=()
for _ in $(seq "$runs"); do
  for mode in without with; do
    flag=(); [ "$mode" = without ] && flag=(--no-entities)
    s=$(date +%s.%N)
    "$bin" extract --threads "$threads" "${flag[@]}" "${dirs[@]}" >/dev/null
    e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc -l)
    if [ "$mode" = without ]; then t_without+=("$t"); else t_with+=("$t"); fi
  done
done
a=$(printf '%s\n' "${t_without[@]}" | best)
b=$(printf '%s\n' "${t_with[@]}" | best)
printf 'words: %d, threads: %s, best of %s runs\n' "$words" "$threads" "$runs"
printf 'extract --no-entities  %8.3f s  %10.0f words/s\n' "$a" "$(echo "$words / $a" | bc -l)"
printf 'extract (entities)     %8.3f s  %10.0f words/s\n' "$b" "$(echo "$words / $b" | bc -l)"
printf 'entities add %.0f%% to the time of extract (ratio %.2f)\n' "$(echo "($b / $a - 1) * 100" | bc -l)" "$(echo "$b / $a" | bc -l)"
pairs=$(for i in "${!t_with[@]}"; do echo "${t_with[$i]} / ${t_without[$i]}" | bc -l; done | sort -n)
median=$(printf '%s\n' "$pairs" | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}')
printf 'median of the %s paired ratios: %.2f (entities add %.0f%%)\n' "$runs" "$median" "$(echo "($median - 1) * 100" | bc -l)"
