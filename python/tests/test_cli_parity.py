"""Same answers as the CLI: `onrecord extract` on a JSONL file and
`nlp.pipe` on its records give the same JSON for every document, on the
seeds and on PolNeAR dev (every attribution, entity, event and date)."""

import json

import onrecord

from conftest import SEEDS, polnear_dev, records, run_cli, write_jsonl


def _compare(cli, tmp_path, recs, threads):
    f = write_jsonl(tmp_path / "in.jsonl", recs)
    r = run_cli(cli, "extract", f, "--threads", threads)
    assert r.returncode == 0, r.stderr
    want = [json.loads(line) for line in r.stdout.splitlines()]
    got = [d.to_dict() for d in onrecord.load().pipe(recs, n_threads=threads)]
    assert len(want) == len(got) == len(recs)
    n = 0
    for w, g in zip(want, got):
        # the path names the input: the file's line for the CLI
        w.pop("path")
        g.pop("path")
        assert w == g, w["doc"]
        n += len(w["attributions"])
    return n


def test_the_seeds_give_what_the_cli_gives(cli, tmp_path):
    assert _compare(cli, tmp_path, records(SEEDS), 2) > 10


def test_polnear_dev_gives_what_the_cli_gives(cli, tmp_path):
    n = _compare(cli, tmp_path, polnear_dev(with_date=True), 2)
    assert n > 500


def test_regression_documents_of_separate_batches_keep_separate_keys(cli, tmp_path):
    """Documents given from Python were keyed by their place in their batch
    (`python:1` in every batch), so `onrecord link` took the first article
    of the second batch for a new version of the first one's."""
    pq = __import__("pytest").importorskip("pyarrow.parquet")
    recs = records(SEEDS)
    docs = tmp_path / "out" / "documents"
    docs.mkdir(parents=True)
    for i, r in enumerate(recs):
        # one batch each: both documents are item 1 of their batch
        pa = __import__("pyarrow")
        batch = pa.Table.from_batches(
            [onrecord.extract_arrow(pa.RecordBatch.from_pylist([r]), table="documents")]
        )
        pq.write_table(batch, docs / f"part-{i}.parquet")
    r = run_cli(cli, "link", tmp_path / "out", "--db", tmp_path / "r.db", "--json")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["new"] == len(recs) and summary["updated"] == 0, summary
