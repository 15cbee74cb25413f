#!/usr/bin/env bash
# Main-text extraction: onrecord vs Python trafilatura on the same web pages,
# in the same run, both scored by the same Python scorer. See bench/README.md.
#
# usage: bench/html.sh [DATA_DIR]      (default ../shared/data/html)
# env:   SKIP_BUILD=1       use the existing target/release/onrecord
#        ONRECORD_BIN=PATH  another onrecord binary (no build)
#        CPU=N              the core both tools are pinned to (default 0; taskset)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DATA="${1:-../shared/data/html}"
VENV="$ROOT/bench/.venv"
OUT="$ROOT/bench/out"
BIN="${ONRECORD_BIN:-$ROOT/target/release/onrecord}"
CPU="${CPU:-0}"
mkdir -p "$OUT"
[[ -f "$DATA/evaldata.json" ]] || { echo "no $DATA/evaldata.json" >&2; exit 1; }

if [[ -z "${SKIP_BUILD:-}" && -z "${ONRECORD_BIN:-}" ]]; then
    echo "== cargo build --release" >&2
    cargo build --release >&2
fi

PY="$VENV/bin/python"
if ! [[ -x "$PY" ]] || ! "$PY" -c "import trafilatura" 2>/dev/null; then
    echo "== setting up $VENV (log in $OUT/pip-html.log)" >&2
    [[ -x "$PY" ]] || python3 -m venv "$VENV"
    "$PY" -m pip install -r "$ROOT/bench/requirements-html.txt" >"$OUT/pip-html.log" 2>&1 \
        || { tail -20 "$OUT/pip-html.log" >&2; exit 1; }
fi

PIN=()
command -v taskset >/dev/null && PIN=(taskset -c "$CPU")

# 1. onrecord, one thread (its own clock: extraction of the pages in memory,
#    decoding included; reading the files excluded, as for trafilatura)
echo "== onrecord eval html --threads 1" >&2
"${PIN[@]}" "$BIN" eval html "$DATA" --threads 1 --json --dump "$OUT/html-onrecord.jsonl" >"$OUT/html-onrecord.json"
for half in even odd; do
    "$BIN" eval html "$DATA" --threads 1 --json --half "$half" >"$OUT/html-onrecord-$half.json"
done
SECONDS_ONRECORD="$("$PY" -c "import json,sys; print(json.load(open(sys.argv[1]))['seconds'])" "$OUT/html-onrecord.json")"

# 2. trafilatura (default settings, then as its comparison script runs it),
#    and the same scorer over onrecord's dump
echo "== trafilatura over $DATA (one process, one core)" >&2
"${PIN[@]}" "$PY" "$ROOT/bench/html_trafilatura.py" "$DATA" --no-comments \
    --onrecord "$OUT/html-onrecord.jsonl" --onrecord-seconds "$SECONDS_ONRECORD" \
    --out "$OUT/html.json" >/dev/null

# 3. cross-check: the Rust scorer gives the same counts on the same texts
"$PY" - "$OUT/html.json" "$OUT/html-onrecord.json" <<'PYEOF'
import json, sys
py = json.load(open(sys.argv[1]))["onrecord"]["scores"]["all"]
rs = json.load(open(sys.argv[2]))["counts"]
same = (py["tp"], py["fn"], py["fp"], py["tn"]) == (rs["tp"], rs["fn_"], rs["fp"], rs["tn"])
print("scorers agree" if same else f"SCORERS DIFFER: python {py} rust {rs}", file=sys.stderr)
sys.exit(0 if same else 1)
PYEOF
echo "wrote $OUT/html.json" >&2
