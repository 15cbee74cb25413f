"""A complete PySpark job: articles in, the OnRecord tables out as Parquet.

    spark-submit python/examples/spark_extract.py news/*.jsonl.gz --out out/
    onrecord link out/ --db onrecord.db        # the record, on one machine

Writes, partitioned by publication month (``month=YYYY-MM``):
    out/documents/   one row per article, with its extraction (for link)
    out/statements/  one row per statement
    out/entities/    one row per entity per article
    out/events/      one row per reported event per article
    out/errors/      inputs that could not be read (WARC, HTML, … inputs)

Extraction runs once (into ``documents``); the other tables are read back
from it. Each documents file is sorted by ``seq`` (the article's place in
the input), which ``onrecord link`` relies on.
"""

import argparse
import sys
import time

from pyspark.sql import SparkSession

import onrecord.spark as ors


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("inputs", nargs="+", help="JSONL or Parquet paths (split by Spark), or any input the CLI reads: WARC, HTML, text, CSV (one task per path)")
    ap.add_argument("--out", required=True, help="output folder")
    ap.add_argument("--text-col", default="text")
    ap.add_argument("--threads", type=int, default=1, help="threads per task (default 1)")
    ap.add_argument("--master", default=None, help="e.g. local[2] (default: spark-submit's)")
    args = ap.parse_args(argv)

    b = SparkSession.builder.appName("onrecord-extract")
    if args.master:
        b = b.master(args.master)
    spark = b.getOrCreate()
    started = time.time()
    df = ors.read_files(spark, args.inputs)
    bad = 0
    if "error" in df.columns:
        df = df.cache()
        errs = ors.errors(df)
        bad = errs.count()
        if bad:
            errs.write.mode("overwrite").json(f"{args.out}/errors")
            for row in errs.limit(20).collect():
                print(f"onrecord: {row.error}", file=sys.stderr)
        for row in ors.notes(df).collect():
            print(f"onrecord: {row.note}", file=sys.stderr)
    docs = ors.documents(df, text_col=args.text_col, n_threads=args.threads)
    (
        docs.sortWithinPartitions("seq")
        .write.mode("overwrite")
        .partitionBy("month")
        .parquet(f"{args.out}/documents")
    )
    docs = spark.read.parquet(f"{args.out}/documents")
    for table in ("statements", "entities", "events"):
        t = ors.from_documents(docs, table)
        t.write.mode("overwrite").partitionBy("month").parquet(f"{args.out}/{table}")
    n = docs.count()
    note = f", {bad} inputs not read (listed in {args.out}/errors)" if bad else ""
    print(f"onrecord: {n} articles{note} → {args.out} in {time.time() - started:.1f} s", file=sys.stderr)
    spark.stop()
    return 2 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
