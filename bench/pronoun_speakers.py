#!/usr/bin/env python3
"""The share of statements whose speaker is a bare pronoun ("who", "they",
"it", "I", …) in a record: what issue 19 asks to bring to zero.

    onrecord ingest ../shared/data/polnear/dev/text --db /tmp/dev.db -q
    python3 bench/pronoun_speakers.py /tmp/dev.db

Prints one JSON object: statements, bare-pronoun speakers by pronoun and
their share, and the statements whose speaker is left without a name (an
unresolved pronoun: `speaker` null, `speaker_text` the pronoun). Reads the record through `onrecord export` (target/release/onrecord
or ONRECORD_BIN).
"""

import collections
import json
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
CLI = os.environ.get("ONRECORD_BIN", str(ROOT / "target" / "release" / "onrecord"))
PRONOUNS = {
    "i", "me", "we", "us", "you", "he", "him", "she", "her", "it", "they", "them",
    "who", "whom", "which", "that", "this", "these", "those", "one", "someone",
}


def main():
    db = sys.argv[1]
    out = subprocess.run([CLI, "export", "--format", "jsonl", "--db", db], capture_output=True, text=True, check=True)
    n, bare, unresolved = 0, collections.Counter(), collections.Counter()
    for line in out.stdout.splitlines():
        q = json.loads(line)
        n += 1
        s = (q.get("speaker") or "").strip().lower()
        if s in PRONOUNS:
            bare[s] += 1
        text = (q.get("speaker_text") or "").strip().lower()
        if q.get("speaker") is None and text:
            unresolved[text] += 1
    total = sum(bare.values())
    print(json.dumps({"statements": n, "bare_pronoun_speakers": total,
                      "share": round(total / max(n, 1), 4), "by_pronoun": dict(bare.most_common()),
                      "unresolved_no_name": sum(unresolved.values()),
                      "unresolved_share": round(sum(unresolved.values()) / max(n, 1), 4),
                      "unresolved_by_source": dict(unresolved.most_common())}, indent=2))


if __name__ == "__main__":
    main()
