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
