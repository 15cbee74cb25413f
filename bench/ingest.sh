#!/usr/bin/env bash
# Ingest benchmark: `onrecord ingest` of PolNeAR train+dev texts (924
# articles) into a fresh record, end to end (start-up, model load, reading,
# extraction on all cores, SQLite writes with FTS indexing, final commit).
# Prints articles/s of the best of REPEAT runs, then times a re-ingest of
# the same files (every article unchanged). See bench/README.md.
#
# usage: bench/ingest.sh [DIR...]   (default ../shared/data/polnear/{train,dev}/text)
# env:   REPEAT=3      timed runs (best is kept)
#        SKIP_BUILD=1  use the existing target/release/onrecord
#        THREADS=N     worker threads (default: all cores)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [[ $# -gt 0 ]]; then
    DIRS=("$@")
else
    DIRS=(../shared/data/polnear/train/text ../shared/data/polnear/dev/text)
fi
REPEAT="${REPEAT:-3}"
BIN="$ROOT/target/release/onrecord"
OUT="$ROOT/bench/out"
mkdir -p "$OUT"
DB="$OUT/ingest.db"
THREAD_ARGS=()
[[ -n "${THREADS:-}" ]] && THREAD_ARGS=(--threads "$THREADS")

if [[ -z "${SKIP_BUILD:-}" ]]; then
    cargo build --release -q
fi

files=$(find "${DIRS[@]}" -name '*.txt' -not -name '.*' | wc -l)
words=$(find "${DIRS[@]}" -name '*.txt' -not -name '.*' -exec cat {} + | wc -w)

now() { date +%s.%N; }
best=""
for i in $(seq "$REPEAT"); do
    rm -f "$DB" "$DB-wal" "$DB-shm"
    t0=$(now)
    "$BIN" ingest -q "${THREAD_ARGS[@]}" --db "$DB" "${DIRS[@]}"
    t1=$(now)
    s=$(echo "$t1 - $t0" | bc -l)
    echo "run $i: $(printf '%.3f' "$s") s"
    if [[ -z "$best" ]] || (( $(echo "$s < $best" | bc -l) )); then best=$s; fi
done
t0=$(now)
"$BIN" ingest -q "${THREAD_ARGS[@]}" --db "$DB" "${DIRS[@]}"
t1=$(now)
again=$(echo "$t1 - $t0" | bc -l)

stored=$(sqlite3 "$DB" 'SELECT count(*) FROM articles' 2>/dev/null || echo "$files")
quotes=$(sqlite3 "$DB" 'SELECT count(*) FROM attributions' 2>/dev/null || echo "?")
size=$(du -k "$DB" | cut -f1)
echo
echo "files: $files   words: $words   cores: $(nproc)   stored: $stored articles, $quotes attributions, ${size} KiB"
printf 'ingest (fresh record, best of %s): %.3f s  %.0f articles/s  %.0f words/s\n' \
    "$REPEAT" "$best" "$(echo "$files / $best" | bc -l)" "$(echo "$words / $best" | bc -l)"
printf 're-ingest (all unchanged):        %.3f s  %.0f articles/s\n' \
    "$again" "$(echo "$files / $again" | bc -l)"
