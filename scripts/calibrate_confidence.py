#!/usr/bin/env python3
"""How well `confidence` predicts end-to-end correctness.

Usage:
  onrecord train attribution --holdout 5 --bias 50,-60,30 --out /tmp/ho.ortag
  # a folder with every fifth PolNeAR train document (text/ and attributions/)
  onrecord extract HOLDOUT/text --model /tmp/ho.ortag --format jsonl > ho.jsonl
  scripts/calibrate_confidence.py ho.jsonl HOLDOUT/attributions

Prints, per confidence value, how many attributions have it and the share
that are right end to end (content shares a character with a gold content,
and the source with that attribution's gold source, or neither has one;
matched one to one, greedily in output order). The values in
`crates/attribution/src/lib.rs` (`confidence`) are these shares on held-out
train documents.
"""
import collections, json, os, sys


def gold_of(folder):
    gold = collections.defaultdict(list)
    for f in os.listdir(folder):
        spans, events = {}, []
        for line in open(os.path.join(folder, f), encoding="utf-8"):
            x = line.rstrip("\n").split("\t")
            if line.startswith("T"):
                role, rest = x[1].split(" ", 1)
                spans[x[0]] = [tuple(map(int, p.split())) for p in rest.split(";")]
            elif line.startswith("E"):
                events.append(dict(p.split(":") for p in x[1].split()[1:]))
        for e in events:
            gold[f[:-4]].append(
                {r: spans[e[r]] if r in e else [] for r in ("Content", "Source")}
            )
    return gold


def overlaps(a, b):
    return any(x[0] < y[1] and y[0] < x[1] for x in a for y in b)


def main():
    pred_file, folder = sys.argv[1], sys.argv[2]
    gold = gold_of(folder)
    table = collections.defaultdict(lambda: [0, 0])
    for line in open(pred_file, encoding="utf-8"):
        doc = json.loads(line)
        used = set()
        for a in doc["attributions"]:
            ok = 0
            for gi, g in enumerate(gold[doc["doc"]]):
                if gi in used or not overlaps(a["content"], g["Content"]):
                    continue
                if (not a["source"] and not g["Source"]) or (
                    a["source"] and overlaps(a["source"], g["Source"])
                ):
                    ok = 1
                    used.add(gi)
                    break
            row = table[round(a["confidence"], 2)]
            row[0] += 1
            row[1] += ok
    print("confidence  attributions  right")
    for c in sorted(table):
        n, ok = table[c]
        print(f"{c:10.2f}  {n:12d}  {ok / n:5.3f}")


if __name__ == "__main__":
    main()
