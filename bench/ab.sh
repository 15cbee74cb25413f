#!/usr/bin/env bash
# Times two onrecord builds alternately on the same texts (one thread), so
# that both see the same spells of a noisy machine; prints each build's
# median and best wall time. See bench/README.md.
#
# usage: bench/ab.sh BIN_A BIN_B [RUNS] [TEXT_DIR]
#        (RUNS default 25; TEXT_DIR default ../shared/data/polnear/dev/text)
set -euo pipefail

A="${1:?usage: bench/ab.sh BIN_A BIN_B [RUNS] [TEXT_DIR]}"
B="${2:?usage: bench/ab.sh BIN_A BIN_B [RUNS] [TEXT_DIR]}"
RUNS="${3:-25}"
TEXT_DIR="${4:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/../shared/data/polnear/dev/text}"
for bin in "$A" "$B"; do
    [[ -x "$bin" ]] || { echo "not an executable: $bin" >&2; exit 1; }
done
[[ -d "$TEXT_DIR" ]] || { echo "no such directory: $TEXT_DIR" >&2; exit 1; }

for ((i = 0; i < RUNS; i++)); do
    for which in A B; do
        bin="$A"
        [[ "$which" == B ]] && bin="$B"
        start=$(date +%s%N)
        "$bin" extract "$TEXT_DIR" --format jsonl --threads 1 >/dev/null
        end=$(date +%s%N)
        echo "$which $(((end - start) / 1000))"
    done
done | python3 -c '
import statistics, sys
times = {}
for line in sys.stdin:
    k, us = line.split()
    times.setdefault(k, []).append(int(us) / 1000)
for k, name in (("A", sys.argv[1]), ("B", sys.argv[2])):
    t = times[k]
    print(f"{k} {name}: median {statistics.median(t):.1f} ms, best {min(t):.1f} ms ({len(t)} runs)")
' "$A" "$B"
