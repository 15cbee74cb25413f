#!/usr/bin/env bash
# The web UI's heaviest page: a person with 1,000 statements (synthetic:
# 200 articles over 21 months, five statements each), rendered by the
# real binary over HTTP. Prints min / median / max of RUNS requests.
#
#   bench/serve.sh            # RUNS=50
#   RUNS=200 bench/serve.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
RUNS="${RUNS:-50}"
OUT=bench/out
mkdir -p "$OUT"
DB="$PWD/$OUT/serve-1000.db"
rm -f "$DB" "$DB-wal" "$DB-shm"

cargo build --release -q
# the synthetic record (the in-crate generator of the serve tests), and the
# same page rendered in-process for comparison
ONRECORD_BENCH_DB="$DB" cargo test --release -q -p onrecord-serve --lib \
    -- --ignored --nocapture person_page_speed 2>&1 | grep '^person page'

target/release/onrecord serve --db "$DB" --addr 127.0.0.1:0 2> "$OUT/serve.log" &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    grep -q 'http://' "$OUT/serve.log" 2>/dev/null && break
    sleep 0.05
done
ADDR=$(grep -o 'http://[0-9.:]*' "$OUT/serve.log" | head -1)
URL="$ADDR/people/per%3Aroe%3Ajn"

rows=$(curl -sf "$URL" | grep -c '<tr class="quote"')
bytes=$(curl -sf "$URL" | wc -c)
echo "GET $URL: $rows statement rows, $bytes bytes"
for _ in $(seq "$RUNS"); do
    curl -s -o /dev/null -w '%{time_total}\n' "$URL"
done | sort -n | awk -v runs="$RUNS" '
    { t[NR] = $1 * 1000 }
    END { printf "over HTTP (curl, %d requests): min %.1f ms, median %.1f ms, max %.1f ms\n",
                 runs, t[1], t[int((NR + 1) / 2)], t[NR] }'
