"""OnRecord on Spark: the pipeline over a DataFrame with ``mapInArrow``.

Each executor process loads the models once (:func:`onrecord.load` is
cached per process) and extracts each Arrow batch on its own threads with
the GIL released. Extraction is per document (no state crosses articles):
identities, events and threads are settled afterwards, in order, on one
machine, by ``onrecord link DIR --db PATH`` over the ``documents`` table.

    from pyspark.sql import SparkSession
    import onrecord.spark as ors
    spark = SparkSession.builder.getOrCreate()
    df = ors.read_jsonl(spark, ["s3://bucket/news/*.jsonl.gz"])
    statements = ors.extract(df)            # one row per statement
    docs = ors.documents(df)                # one row per article, for `onrecord link`

``examples/spark_extract.py`` (in ``python/``) is a complete job.
"""

from __future__ import annotations

from typing import Iterable, Iterator, List, Optional, Sequence

import onrecord
from onrecord import _batch_items, _onrecord, _read_ipc

TABLES = ("statements", "entities", "events", "documents")


def spark_schema(table: str):
    """The Spark ``StructType`` of one of the tables."""
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(onrecord.schema(table))


def _extract(text_col: str, tables: List[str], threads: int, options: tuple):
    def run(batches):
        nlp = onrecord.load(*options)
        for batch in batches:
            if batch.num_rows == 0:
                continue
            items = _batch_items(batch, text_col)
            for ipc in nlp._native.tables(items, 1, threads, tables):
                yield from _read_ipc(ipc).to_batches()

    return run


def _with_seq(df, text_col: str):
    from pyspark.sql import functions as F

    if "document" in df.columns:
        return df  # read_paths: documents as read, with their seq
    if text_col not in df.columns:
        raise onrecord.OnRecordError(
            f"the DataFrame has no column {text_col!r} (columns: {', '.join(df.columns)})"
        )
    if "seq" in df.columns:
        return df
    # the article's place in the input: partitions in order, rows in order
    return df.withColumn("seq", F.monotonically_increasing_id())


def _table(df, table: str, text_col: str, threads: int, options: tuple):
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}: use one of {', '.join(TABLES)}")
    df = _with_seq(df, text_col)
    return df.mapInArrow(_extract(text_col, [table], threads, options), spark_schema(table))


def extract(df, text_col: str = "text", n_threads: int = 1, model: Optional[str] = None, ner_model: Optional[str] = None):
    """One row per statement (the ``statements`` table) of the articles of
    ``df``: a ``text_col`` column, and optionally ``id``, ``date``
    (YYYY-MM-DD), ``title``, ``outlet``, ``url``, … as in a JSONL line.
    ``n_threads`` threads per task (Spark's cores per task are the usual
    way to use the cores: keep 1 unless tasks get several cores)."""
    return _table(df, "statements", text_col, n_threads, (model, ner_model, True))


def entities(df, text_col: str = "text", n_threads: int = 1, model: Optional[str] = None, ner_model: Optional[str] = None):
    """One row per entity per article (the ``entities`` table)."""
    return _table(df, "entities", text_col, n_threads, (model, ner_model, True))


def events(df, text_col: str = "text", n_threads: int = 1, model: Optional[str] = None, ner_model: Optional[str] = None):
    """One row per reported event per article (the ``events`` table)."""
    return _table(df, "events", text_col, n_threads, (model, ner_model, True))


def documents(df, text_col: str = "text", n_threads: int = 1, model: Optional[str] = None, ner_model: Optional[str] = None):
    """One row per article with its extraction in the interchange form
    (``record``) and its place in the input (``seq``): what ``onrecord
    link`` reads; :func:`from_documents` derives the other tables from it
    without extracting again."""
    return _table(df, "documents", text_col, n_threads, (model, ner_model, True))


def from_documents(docs, table: str):
    """The ``statements``, ``entities`` or ``events`` table from a
    ``documents`` DataFrame (no extraction: the records are read back)."""
    if table not in ("statements", "entities", "events"):
        raise ValueError(f"unknown table {table!r}: use statements, entities or events")

    def run(batches):
        for batch in batches:
            if batch.num_rows == 0:
                continue
            records = batch.column(batch.schema.names.index("record")).to_pylist()
            yield from _read_ipc(_onrecord.tables(records, table)).to_batches()

    return docs.select("record").mapInArrow(run, spark_schema(table))


def read_jsonl(spark, paths: Sequence[str]):
    """Articles from JSONL files (one JSON object a line, .gz too): every
    field as a string column, so dates stay YYYY-MM-DD strings. A line
    that is not JSON fails the job with Spark's message (mode FAILFAST)."""
    return spark.read.option("mode", "FAILFAST").option("primitivesAsString", "true").json(list(paths))


def read_parquet(spark, paths: Sequence[str]):
    """Articles from Parquet files with a text column."""
    return spark.read.parquet(*paths)


def read_paths(spark, paths: Sequence[str], text_column: Optional[str] = None):
    """Articles from any input the CLI reads (text with metadata.tsv, JSONL,
    CSV/TSV, HTML pages, WARC archives; .gz/.zst/.bz2 too; folders), read
    by the CLI's own reader: one task per path, streamed. The paths must be
    readable by the executors (a shared or mounted file system).

    Columns: ``seq`` (the path's index * 2**32 + the document's place in
    it), ``document`` (the document as read), ``error`` (what could not be
    read, with the file and line or record; ``document`` is then null) and
    ``note`` (what a path held that is not an article, such as WARC request
    records, counted). Pass the DataFrame to :func:`extract` or
    :func:`documents` as it is; :func:`errors` and :func:`notes` give the
    rest."""
    from pyspark.sql.types import LongType, StringType, StructField, StructType

    schema = StructType(
        [
            StructField("seq", LongType(), False),
            StructField("document", StringType(), True),
            StructField("error", StringType(), True),
            StructField("note", StringType(), True),
        ]
    )

    def read(item):
        i, path = item
        return iter(_onrecord.Reader(path, i, text_column))

    paths = list(paths)
    rdd = spark.sparkContext.parallelize(list(enumerate(paths)), max(1, len(paths))).flatMap(read)
    return spark.createDataFrame(rdd, schema)


def errors(df):
    """The rows of a :func:`read_paths` DataFrame that could not be read."""
    return df.filter(df.error.isNotNull()).select("seq", "error")


def notes(df):
    """What the paths of a :func:`read_paths` DataFrame held that is not an
    article (files and records passed over, counted)."""
    return df.filter(df.note.isNotNull()).select("seq", "note")


def read_files(spark, paths: Sequence[str], text_column: Optional[str] = None):
    """Articles from ``paths``: JSONL (.jsonl, .json, .gz) or Parquet with
    Spark's own readers (split across tasks), any other input the CLI reads
    (WARC, HTML, text, CSV, or a mix) with :func:`read_paths`."""
    paths = list(paths)
    jsonl = (".jsonl", ".json", ".jsonl.gz", ".json.gz")
    if all(p.endswith(jsonl) for p in paths):
        return read_jsonl(spark, paths)
    if all(p.rstrip("/").endswith(".parquet") for p in paths):
        return read_parquet(spark, paths)
    return read_paths(spark, paths, text_column)
