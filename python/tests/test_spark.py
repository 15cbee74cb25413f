"""The Spark job in local[2] mode over PolNeAR dev: the same statements as
`onrecord extract`, and `onrecord link` over its output gives the same
record as `onrecord ingest` (same quotes, people and threads)."""

import json
import os
import shutil
import sys

import pytest

from conftest import ROOT, polnear_dev, run_cli, write_jsonl


def _spark_available():
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "no Java for Spark"
    return None


@pytest.fixture(scope="module")
def job(tmp_path_factory, cli):
    why = _spark_available()
    if why:
        if os.environ.get("ONRECORD_REQUIRE_SPARK"):
            pytest.fail(why)
        pytest.skip(why)
    sys.path.insert(0, str(ROOT / "python" / "examples"))
    import spark_extract

    d = tmp_path_factory.mktemp("spark")
    recs = polnear_dev(with_date=True)
    src = write_jsonl(d / "dev.jsonl", recs)
    spark_extract.main([str(src), "--out", str(d / "out"), "--master", "local[2]"])
    return d, recs


def _lines(stdout):
    return [json.loads(l) for l in stdout.splitlines() if l.strip()]


def test_the_job_gives_the_statements_of_extract(job, cli):
    d, recs = job
    pq = pytest.importorskip("pyarrow.parquet")
    t = pq.read_table(d / "out" / "statements").to_pylist()
    r = run_cli(cli, "extract", d / "dev.jsonl")
    assert r.returncode == 0, r.stderr
    want = []
    for doc in _lines(r.stdout):
        for i, a in enumerate(doc["attributions"]):
            want.append((doc["doc"], i, a["kind"], a["text"]["cue"], a["text"]["content"],
                         a["content"][0][0], a["content"][-1][1], (a["speaker"] or {}).get("name"),
                         a["stance"], a["confidence"]))
    got = [(s["doc"], s["index"], s["kind"], s["cue"], s["content"], s["content_start"],
            s["content_end"], s["speaker"], s["stance"], round(s["confidence"], 3)) for s in t]
    assert len(want) > 500
    assert sorted(got) == sorted(want)
    # partitioned by publication month
    months = {p.name for p in (d / "out" / "statements").iterdir() if p.name.startswith("month=")}
    assert len(months) == 12, months


def test_link_builds_the_record_ingest_builds(job, cli):
    d, recs = job
    # link settles months in order, then input order: ingest the same order
    order = sorted(range(len(recs)), key=lambda i: (recs[i]["date"][:7], i))
    src = write_jsonl(d / "sorted.jsonl", [recs[i] for i in order])
    for db in ("link.db", "ingest.db"):
        if (d / db).exists():
            os.remove(d / db)
    r = run_cli(cli, "link", d / "out", "--db", d / "link.db", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["articles"] == len(recs)
    r = run_cli(cli, "ingest", src, "--db", d / "ingest.db", "--quiet")
    assert r.returncode == 0, r.stderr

    def dump(db, *args, drop=()):
        r = run_cli(cli, *args, "--db", d / db)
        assert r.returncode == 0, r.stderr
        rows = _lines(r.stdout)
        for x in rows:
            for k in drop:
                x.pop(k, None)
        return rows

    for args, drop in [
        (("export", "--format", "jsonl"), ("path",)),
        (("export", "--format", "jsonl", "--table", "entities"), ()),
        (("threads", "--jsonl", "--min", "1", "--limit", "100000"), ()),
    ]:
        a, b = dump("link.db", *args, drop=drop), dump("ingest.db", *args, drop=drop)
        assert len(a) > 100, args
        assert a == b, args
    # linking again changes nothing
    r = run_cli(cli, "link", d / "out", "--db", d / "link.db", "--json")
    assert json.loads(r.stdout)["unchanged"] == len(recs), r.stdout


def test_duckdb_reads_the_job_output(job):
    duckdb = pytest.importorskip("duckdb")
    d, _ = job
    rows = duckdb.sql(
        f"""SELECT month, count(*) AS statements
            FROM read_parquet('{d}/out/statements/*/*.parquet', hive_partitioning = true)
            GROUP BY month ORDER BY month"""
    ).fetchall()
    assert len(rows) == 12 and rows[0][0] == "2016-01" and sum(n for _, n in rows) > 500


def test_link_refuses_what_is_not_the_documents_table(job, cli, tmp_path):
    d, _ = job
    r = run_cli(cli, "link", d / "out" / "statements", "--db", tmp_path / "x.db")
    assert r.returncode == 2
    assert "no seq and record columns" in r.stderr, r.stderr
    r = run_cli(cli, "link", tmp_path / "missing", "--db", tmp_path / "x.db")
    assert r.returncode == 2 and "not a folder" in r.stderr, r.stderr


def test_any_input_the_cli_reads_one_task_per_path(job, cli, tmp_path):
    """WARC, seed text files and a JSONL with a bad line, through the CLI's
    own reader on the executors: the statements `onrecord extract` gives,
    and the bad line reported with its place, not skipped in silence."""
    import subprocess

    from pyspark.sql import SparkSession

    import onrecord.spark as ors

    warc = tmp_path / "pages.warc.gz"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "make_warc.py"), "--pages",
         str(ROOT / "tests" / "fixtures" / "html"), "--out", str(warc)],
        check=True, capture_output=True,
    )
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "ok", "text": "“We are ready,” Sergei Lavrov said."}\n{"id": "cut", "te\n')
    paths = [str(warc), str(ROOT / "examples"), str(bad)]
    spark = SparkSession.builder.master("local[2]").getOrCreate()
    df = ors.read_paths(spark, paths).cache()
    errs = [r.error for r in ors.errors(df).collect()]
    assert len(errs) == 1 and "bad.jsonl:2" in errs[0], errs
    notes = [r.note for r in ors.notes(df).collect()]
    assert any("pages.warc.gz: skipped 4 WARC records" in n for n in notes), notes
    got = sorted(
        (r["doc"], r["index"], r["kind"], r["content"], r["speaker"])
        for r in ors.extract(df).collect()
    )
    r = run_cli(cli, "extract", *paths)
    assert r.returncode == 2, r.stderr  # the bad line
    want = sorted(
        (d["doc"], i, a["kind"], a["text"]["content"], (a["speaker"] or {}).get("name"))
        for d in _lines(r.stdout)
        for i, a in enumerate(d["attributions"])
    )
    assert len(want) > 20
    assert got == want
