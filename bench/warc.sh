#!/usr/bin/env bash
# WARC benchmark: builds a .warc.gz (one gzip member per record, WARC/1.0
# request + response records with HTTP heads) from the saved pages of
# ../shared/data/html/pages (bench/make_warc.py), then in the same run times
#   1. `onrecord read` of it, 1 thread and all threads: MB/s of compressed
#      and of uncompressed input, pages/s;
#   2. `onrecord ingest` of it into a fresh record, end to end: articles/s;
#   3. `onrecord ingest` of the same articles as JSONL (the text and
#      metadata `onrecord read` gave), so that 2 - 3 is what reading the
#      WARC and extracting the pages' main text costs inside ingest.
# Each is the best of REPEAT runs, timed as a whole process. Prints a table
# and writes bench/out/warc.json. See bench/README.md.
#
# usage: bench/warc.sh [PAGES_DIR]   (default ../shared/data/html/pages)
# env:   REPEAT=3      timed runs of each (the best is kept)
#        SKIP_BUILD=1  use the existing target/release/onrecord
#        THREADS=N     the "all threads" runs use N (default: all cores)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PAGES="${1:-../shared/data/html/pages}"
KEY="$(dirname "$PAGES")/evaldata.json"
REPEAT="${REPEAT:-3}"
CORES="$(nproc)"
THREADS="${THREADS:-$CORES}"
BIN="$ROOT/target/release/onrecord"
OUT="$ROOT/bench/out"
WARC="$OUT/pages.warc.gz"
JSONL="$OUT/warc_articles.jsonl"
DB="$OUT/warc.db"
mkdir -p "$OUT"

if [[ -z "${SKIP_BUILD:-}" ]]; then
    cargo build --release -q
fi

echo "building $WARC from $PAGES ..."
python3 bench/make_warc.py --pages "$PAGES" --key "$KEY" --out "$WARC" > "$OUT/warc_build.json"

# Runs "$@" (exit 0, or 2 when some input could not be read: pages with no
# text are reported and counted, not fatal), stdout to /dev/null.
run_ok() {
    local rc=0
    "$@" > /dev/null 2> "$OUT/warc_last.err" || rc=$?
    if [[ $rc -ne 0 && $rc -ne 2 ]]; then
        echo "failed ($rc): $*" >&2
        cat "$OUT/warc_last.err" >&2
        exit 1
    fi
}

now() { date +%s.%N; }

# best_of FRESH_DB CMD...: the fastest of REPEAT runs, in seconds; with
# FRESH_DB=1 the record is removed before each run.
best_of() {
    local fresh=$1
    shift
    local best="" t0 t1 s
    for _ in $(seq "$REPEAT"); do
        if [[ $fresh == 1 ]]; then rm -f "$DB" "$DB-wal" "$DB-shm"; fi
        t0=$(now)
        run_ok "$@"
        t1=$(now)
        s=$(python3 -c "print(f'{$t1 - $t0:.4f}')")
        if [[ -z "$best" ]] || python3 -c "import sys; sys.exit(0 if $s < $best else 1)"; then
            best=$s
        fi
    done
    echo "$best"
}

# the documents as read, once: how many, and the JSONL of the comparison
rc=0
"$BIN" read "$WARC" > "$OUT/warc_read.jsonl" 2> "$OUT/warc_read.err" || rc=$?
[[ $rc -eq 0 || $rc -eq 2 ]] || { cat "$OUT/warc_read.err" >&2; exit 1; }
python3 - "$OUT/warc_read.jsonl" "$JSONL" <<'EOF'
import json, sys
keep = ["date", "title", "outlet", "url", "authors", "language", "modified", "crawled", "description"]
with open(sys.argv[1], encoding="utf-8") as src, open(sys.argv[2], "w", encoding="utf-8") as dst:
    for line in src:
        d = json.loads(line)
        rec = {"id": d["doc"], "text": d["text"]}
        rec.update({k: d[k] for k in keep if d.get(k) not in (None, [])})
        dst.write(json.dumps(rec, ensure_ascii=False) + "\n")
EOF

echo "timing (best of $REPEAT, $CORES cores) ..."
read_1=$(RAYON_NUM_THREADS=1 best_of 0 "$BIN" read "$WARC")
read_n=$(RAYON_NUM_THREADS=$THREADS best_of 0 "$BIN" read "$WARC")
ingest_warc=$(best_of 1 "$BIN" ingest -q --threads "$THREADS" --db "$DB" "$WARC")
warc_articles=$(sqlite3 "$DB" 'SELECT count(*) FROM articles' 2> /dev/null || echo null)
warc_quotes=$(sqlite3 "$DB" 'SELECT count(*) FROM attributions' 2> /dev/null || echo null)
ingest_jsonl=$(best_of 1 "$BIN" ingest -q --threads "$THREADS" --db "$DB" "$JSONL")
jsonl_articles=$(sqlite3 "$DB" 'SELECT count(*) FROM articles' 2> /dev/null || echo null)
jsonl_quotes=$(sqlite3 "$DB" 'SELECT count(*) FROM attributions' 2> /dev/null || echo null)

python3 - "$OUT" <<EOF
import json, os, sys
out = sys.argv[1]
build = json.load(open(os.path.join(out, "warc_build.json")))
docs = sum(1 for _ in open(os.path.join(out, "warc_read.jsonl"), encoding="utf-8"))
errors = sum(1 for l in open(os.path.join(out, "warc_read.err"), encoding="utf-8")
             if ": record at byte " in l)
comp, plain = build["compressed_bytes"], build["uncompressed_bytes"]
jsonl_bytes = os.path.getsize("$JSONL")

def read_row(s, threads):
    return {"threads": threads, "seconds": s, "mb_per_s_compressed": comp / 1e6 / s,
            "mb_per_s_uncompressed": plain / 1e6 / s, "pages_per_s": docs / s}

def ingest_row(s, articles, quotes, input_bytes):
    return {"seconds": s, "articles": articles, "attributions": quotes,
            "articles_per_s": (articles or docs) / s, "input_bytes": input_bytes}

r = {
    "pages": build["pages"], "records": build["records"],
    "compressed_bytes": comp, "uncompressed_bytes": plain,
    "documents_read": docs, "pages_without_text": errors,
    "cores": $CORES, "repeat": $REPEAT,
    "read_1_thread": read_row($read_1, 1),
    "read_all_threads": read_row($read_n, $THREADS),
    "ingest_warc": ingest_row($ingest_warc, $warc_articles, $warc_quotes, comp),
    "ingest_jsonl": ingest_row($ingest_jsonl, $jsonl_articles, $jsonl_quotes, jsonl_bytes),
}
r["warc_and_html_share_of_ingest"] = ($ingest_warc - $ingest_jsonl) / $ingest_warc
json.dump(r, open(os.path.join(out, "warc.json"), "w"), indent=2)

print()
print(f"{build['pages']} pages, {build['records']} records: {comp/1e6:.1f} MB compressed, "
      f"{plain/1e6:.1f} MB uncompressed; {docs} documents read, {errors} pages without text")
print(f"{'run':<34} {'threads':>7} {'seconds':>8} {'MB/s gz':>8} {'MB/s raw':>9} {'pages/s':>8} {'articles/s':>10}")
for name, row in [("read WARC.gz", r["read_1_thread"]), ("read WARC.gz", r["read_all_threads"])]:
    print(f"{name:<34} {row['threads']:>7} {row['seconds']:>8.3f} {row['mb_per_s_compressed']:>8.1f} "
          f"{row['mb_per_s_uncompressed']:>9.1f} {row['pages_per_s']:>8.0f} {'':>10}")
for name, row in [("ingest WARC.gz (fresh record)", r["ingest_warc"]),
                  ("ingest same articles as JSONL", r["ingest_jsonl"])]:
    print(f"{name:<34} {$THREADS:>7} {row['seconds']:>8.3f} {'':>8} {'':>9} {'':>8} {row['articles_per_s']:>10.0f}")
print(f"stored: WARC {r['ingest_warc']['articles']} articles, {r['ingest_warc']['attributions']} attributions; "
      f"JSONL {r['ingest_jsonl']['articles']} articles, {r['ingest_jsonl']['attributions']} attributions")
print(f"reading the WARC and the pages' main text: {100 * r['warc_and_html_share_of_ingest']:.0f}% of the WARC ingest's time")
print(f"wrote {os.path.join(out, 'warc.json')}")
EOF
