"""Main-text extraction benchmark: Python trafilatura vs onrecord on the same pages.

Runs trafilatura.extract on every page of evaldata.json (one process, one
thread: the wall time of each call, bytes in, text out), then scores its
texts and the texts of an `onrecord eval html --dump` file with the same
scorer: for every page, each `with` snippet found in the text is a true
positive, missing a false negative; each `without` snippet found a false
positive, absent a true negative (trafilatura's tests/comparison_small.py),
after collapsing white space in text and snippet alike.

usage: html_trafilatura.py DATA_DIR --onrecord DUMP.jsonl [--onrecord-seconds S]
       [--out OUT.json] [--half even|odd|all] [--limit N]
"""

import argparse
import hashlib
import json
import os
import re
import sys
import time

WS = re.compile(r"\s+")


def norm(s):
    return WS.sub(" ", s).strip()


def half_of(name):
    """'even' or 'odd': the parity of md5(file name) read as a number."""
    return "even" if int(hashlib.md5(name.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "odd"


def score_page(text, item):
    t = norm(text or "")
    tp = fn = fp = tn = 0
    for s in item["with"]:
        if norm(s) in t:
            tp += 1
        else:
            fn += 1
    for s in item["without"]:
        if norm(s) in t:
            fp += 1
        else:
            tn += 1
    return tp, fn, fp, tn


def summary(counts):
    tp, fn, fp, tn = counts
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    acc = (tp + tn) / (tp + tn + fp + fn) if tp + tn + fp + fn else 0.0
    return {"tp": tp, "fn": fn, "fp": fp, "tn": tn,
            "precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4), "accuracy": round(acc, 4)}


def score_all(texts, evaldata, files):
    out = {}
    for half in ("all", "even", "odd"):
        c = [0, 0, 0, 0]
        n = 0
        for item in evaldata.values():
            f = item["file"]
            if f not in files or (half != "all" and half_of(f) != half):
                continue
            n += 1
            for i, v in enumerate(score_page(texts.get(f), item)):
                c[i] += v
        out[half] = summary(c)
        out[half]["pages"] = n
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data_dir")
    ap.add_argument("--onrecord", help="onrecord eval html --dump output (JSON lines)")
    ap.add_argument("--onrecord-seconds", type=float, help="onrecord's extraction seconds (from its --json)")
    ap.add_argument("--out")
    ap.add_argument("--half", default="all", choices=["all", "even", "odd"])
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--no-comments", action="store_true",
                    help="also run trafilatura as its comparison script does (include_comments=False, include_tables=True)")
    a = ap.parse_args()

    import trafilatura

    with open(os.path.join(a.data_dir, "evaldata.json"), encoding="utf-8") as f:
        evaldata = json.load(f)
    files = [it["file"] for it in evaldata.values()
             if a.half == "all" or half_of(it["file"]) == a.half]
    if a.limit:
        files = files[: a.limit]
    pages = {}
    for name in files:
        with open(os.path.join(a.data_dir, "pages", name), "rb") as f:
            pages[name] = f.read()

    runs = {"default": {}}
    if a.no_comments:
        runs["no_comments"] = {"include_comments": False, "include_tables": True}
    result = {"pages": len(files), "trafilatura_version": trafilatura.__version__}
    for label, kwargs in runs.items():
        texts = {}
        seconds = 0.0
        for name in files:
            start = time.perf_counter()
            try:
                text = trafilatura.extract(pages[name], **kwargs)
            except Exception as err:  # noqa: BLE001 (a failure is an empty text, as in its eval)
                print(f"trafilatura failed on {name}: {err}", file=sys.stderr)
                text = None
            seconds += time.perf_counter() - start
            texts[name] = text
        scores = score_all(texts, evaldata, set(files))
        result[f"trafilatura_{label}"] = {"seconds": round(seconds, 3),
                                          "pages_per_s": round(len(files) / seconds, 2), "scores": scores}

    if a.onrecord:
        texts = {}
        with open(a.onrecord, encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                texts[row["file"]] = row.get("text")
        scores = score_all(texts, evaldata, set(files))
        entry = {"scores": scores}
        if a.onrecord_seconds:
            entry["seconds"] = round(a.onrecord_seconds, 3)
            entry["pages_per_s"] = round(len(files) / a.onrecord_seconds, 2)
        result["onrecord"] = entry
        t = result["trafilatura_default"]
        if a.onrecord_seconds:
            result["speed_ratio"] = round(t["seconds"] / a.onrecord_seconds, 1)

    for key in [k for k in result if k.startswith("trafilatura_") or k == "onrecord"]:
        if key == "trafilatura_version":
            continue
        r = result[key]
        for half in ("all", "even", "odd"):
            s = r["scores"][half]
            speed = f"  {r['pages_per_s']:.1f} pages/s" if half == "all" and "pages_per_s" in r else ""
            print(f"{key:26} {half:4} ({s['pages']:3} pages)  P {s['precision']:.3f}  R {s['recall']:.3f}  "
                  f"F1 {s['f1']:.3f}  acc {s['accuracy']:.3f}{speed}", file=sys.stderr)
    if "speed_ratio" in result:
        print(f"onrecord is {result['speed_ratio']}x trafilatura's pages per second (one core each)", file=sys.stderr)
    text = json.dumps(result, indent=2)
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
