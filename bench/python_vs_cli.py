#!/usr/bin/env python3
"""The Python package and the Spark job against the CLI, in one run, on
the same input and the same threads: words per second and their ratio.

    python3 bench/python_vs_cli.py pipe  [--copies 20] [--threads 1 2] [--runs 5]
    python3 bench/python_vs_cli.py spark [--copies 20] [--runs 3]

The input is PolNeAR dev (../shared/data/polnear/dev/text), each article
repeated ``--copies`` times with its own id and first line, as one JSONL
file. Words are
whitespace-separated tokens of the texts.

- ``pipe``: ``onrecord extract --threads T FILE > /dev/null`` against
  ``nlp.pipe(records of FILE, n_threads=T)`` (reading and parsing the JSONL
  inside the timed loop, as the CLI does), the documents handed out as the
  CLI hands out its JSON lines; and again with each document's statements
  read (which parses its JSON: work the CLI leaves to whoever reads its
  output). Median of ``--runs``, alternating.
- ``spark``: ``python/examples/spark_extract.py FILE --out DIR --master
  local[2]`` (Spark start, extraction, the four Parquet tables) against
  ``onrecord extract --threads 2``, and the extraction stage alone
  (documents table written to Parquet) with Spark already started.

Needs the package installed (pip install ./python) and target/release/onrecord.
Prints one JSON object.
"""

import argparse
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "polnear" / "dev" / "text"
CLI = os.environ.get("ONRECORD_BIN", str(ROOT / "target" / "release" / "onrecord"))


def make_input(path, copies):
    words = 0
    with open(path, "w", encoding="utf-8") as f:
        for c in range(copies):
            for i, p in enumerate(sorted(DEV.glob("*.txt"))):
                # each copy its own words (else the record keeps one copy)
                text = f"Edition {c + 1}.\n\n" + p.read_text(encoding="utf-8")
                words += len(text.split())
                date = f"2016-{1 + i % 12:02d}-{1 + i % 28:02d}"
                f.write(json.dumps({"id": f"{p.stem}-{c}", "date": date, "text": text}) + "\n")
    return words


def time_cli(path, threads):
    t = time.perf_counter()
    with open(os.devnull, "w") as null:
        subprocess.run([CLI, "extract", "--threads", str(threads), str(path)], stdout=null, check=True)
    return time.perf_counter() - t


def time_pipe(nlp, path, threads, parse=False):
    """``parse``: also parse each document's JSON into its statements (the
    consumer's work; the CLI's output is not parsed by anyone)."""
    t = time.perf_counter()
    n = 0
    with open(path, encoding="utf-8") as f:
        for doc in nlp.pipe((json.loads(line) for line in f), n_threads=threads):
            n += len(doc.attributions) if parse else len(doc.to_json())
    return time.perf_counter() - t, n


def pipe(args):
    import onrecord

    nlp = onrecord.load()
    out = {"bench": "pipe", "copies": args.copies, "runs": args.runs, "cores": os.cpu_count()}
    with tempfile.TemporaryDirectory() as d:
        path = pathlib.Path(d) / "dev.jsonl"
        words = make_input(path, args.copies)
        out["words"] = words
        time_pipe(nlp, path, 1)  # warm the page cache and the models
        for threads in args.threads:
            cli, py, parsed = [], [], []
            for _ in range(args.runs):
                cli.append(time_cli(path, threads))
                py.append(time_pipe(nlp, path, threads)[0])
                parsed.append(time_pipe(nlp, path, threads, parse=True)[0])
            c, p, q = statistics.median(cli), statistics.median(py), statistics.median(parsed)
            out[f"threads_{threads}"] = {
                "cli_words_per_s": round(words / c),
                "pipe_words_per_s": round(words / p),
                "pipe_over_cli": round(c / p, 3),
                "pipe_parsed_words_per_s": round(words / q),
                "pipe_parsed_over_cli": round(c / q, 3),
            }
    print(json.dumps(out, indent=2))


def spark(args):
    from pyspark.sql import SparkSession

    sys.path.insert(0, str(ROOT / "python" / "examples"))
    import spark_extract

    import onrecord.spark as ors

    out = {"bench": "spark", "copies": args.copies, "runs": args.runs, "cores": os.cpu_count()}
    with tempfile.TemporaryDirectory() as d:
        path = pathlib.Path(d) / "dev.jsonl"
        words = make_input(path, args.copies)
        out["words"] = words
        cli, job, stage = [], [], []
        for r in range(args.runs):
            cli.append(time_cli(path, 2))
            dest = pathlib.Path(d) / f"out{r}"
            t = time.perf_counter()
            # a process of its own: Spark started and stopped in the time
            subprocess.run(
                [sys.executable, str(ROOT / "python" / "examples" / "spark_extract.py"), str(path),
                 "--out", str(dest), "--master", "local[2]"],
                check=True, capture_output=True,
            )
            job.append(time.perf_counter() - t)
            shutil.rmtree(dest, ignore_errors=True)
        spark_session = SparkSession.builder.master("local[2]").getOrCreate()
        df = ors.read_jsonl(spark_session, [str(path)]).cache()
        df.count()
        for r in range(args.runs):
            dest = pathlib.Path(d) / f"stage{r}"
            t = time.perf_counter()
            ors.documents(df).write.mode("overwrite").parquet(str(dest))
            stage.append(time.perf_counter() - t)
            shutil.rmtree(dest, ignore_errors=True)
        spark_session.stop()
        c, j, s = statistics.median(cli), statistics.median(job), statistics.median(stage)
        out.update(
            {
                "cli_threads_2_words_per_s": round(words / c),
                "spark_job_local2_words_per_s": round(words / j),
                "spark_job_over_cli": round(c / j, 3),
                "spark_extraction_stage_words_per_s": round(words / s),
                "spark_stage_over_cli": round(c / s, 3),
                "cli_seconds": round(c, 2),
                "spark_job_seconds": round(j, 2),
                "spark_stage_seconds": round(s, 2),
            }
        )
    print(json.dumps(out, indent=2))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("what", choices=["pipe", "spark"])
    ap.add_argument("--copies", type=int, default=20)
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    if not DEV.is_dir():
        sys.exit(f"PolNeAR dev is not at {DEV}")
    pipe(args) if args.what == "pipe" else spark(args)


if __name__ == "__main__":
    main()
