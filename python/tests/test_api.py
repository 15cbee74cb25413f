"""The Python API: objects, offsets, streaming, threads, pickling, errors,
fork safety, Arrow and pandas."""

import multiprocessing
import os
import pickle
import sys

import pytest

import onrecord

from conftest import SEEDS, records

LAVROV = (
    "MOSCOW, November 11. /TASS/. Russian Foreign Minister Sergey Lavrov said on Tuesday "
    "that Moscow was ready for talks. “We have repeatedly said that we are open to dialogue,” "
    "Lavrov told reporters. He added that the meeting in Anchorage had been useful."
)


@pytest.fixture(scope="module")
def nlp():
    return onrecord.load()


def test_load_is_cached_per_process(nlp):
    assert onrecord.load() is nlp
    assert onrecord.load(entities=False) is not nlp


def test_a_text_gives_statements_with_code_point_offsets(nlp):
    text = "« Les » — " + LAVROV  # non-ASCII before every offset
    doc = nlp(text, date="2025-11-11", title="Lavrov", outlet="TASS")
    assert doc.date == "2025-11-11" and doc.outlet == "TASS" and doc.title == "Lavrov"
    kinds = {a.kind for a in doc.attributions}
    assert "direct" in kinds, doc.to_dict()
    for a in doc.attributions:
        assert a.kind in ("direct", "indirect", "mixed")
        assert a.speaker is not None and "Lavrov" in a.speaker.name
        part = a.content
        # a single span's text is the text between its offsets
        if len(part.spans) == 1:
            assert doc.text[part.start:part.end] == part.text
        assert 0 <= a.confidence <= 1
    names = {e.name for e in doc.entities}
    assert "Sergey Lavrov" in names, names


def test_to_dict_is_the_extract_json(nlp):
    doc = nlp(LAVROV, id="x1")
    d = doc.to_dict()
    assert d["doc"] == "x1"
    assert set(d) >= {"doc", "path", "date", "attributions", "entities", "events", "dates", "diagnostics"}
    assert doc.to_json().startswith("{") and "\n" not in doc.to_json()


def test_pipe_streams_in_order_and_threads_do_not_change_answers(nlp):
    recs = records(SEEDS) * 3
    for i, r in enumerate(recs):
        r = dict(r)
        recs[i] = dict(r, id=f"{r['id']}-{i}")
    one = [d.to_dict() for d in nlp.pipe(recs, batch_size=2, n_threads=1)]
    four = [d.to_dict() for d in nlp.pipe(iter(recs), batch_size=5, n_threads=4)]
    assert [d["doc"] for d in one] == [r["id"] for r in recs]
    assert one == four
    # plain strings are documents too
    texts = [r["text"] for r in recs[:2]]
    assert len(list(nlp.pipe(texts))) == 2


def test_pipe_is_lazy(nlp):
    seen = []

    def gen():
        for i in range(10):
            seen.append(i)
            yield LAVROV

    it = nlp.pipe(gen(), batch_size=2, n_threads=1)
    next(it)
    # the first batch, and the next one read while it was extracted
    assert len(seen) == 4, seen


def test_docs_and_the_pipeline_pickle(nlp):
    doc = nlp(LAVROV)
    back = pickle.loads(pickle.dumps(doc))
    assert back.to_dict() == doc.to_dict() and back.text == doc.text
    assert pickle.loads(pickle.dumps(nlp)) is nlp


def test_a_bad_item_raises_with_its_position_and_what_is_wrong(nlp):
    with pytest.raises(onrecord.OnRecordError, match=r"item 2: .*text"):
        list(nlp.pipe([LAVROV, {"id": "no text"}]))
    with pytest.raises(TypeError, match="item 1"):
        list(nlp.pipe([42]))
    with pytest.raises(onrecord.OnRecordError, match="date"):
        nlp(LAVROV, date="2025-13-45")
    with pytest.raises(TypeError):
        nlp(LAVROV, title=object())


def test_a_missing_model_file_is_an_error_naming_it():
    with pytest.raises(onrecord.OnRecordError, match="/nonexistent/model.bin"):
        onrecord.load(model="/nonexistent/model.bin")


def test_another_language_is_skipped_not_guessed(nlp):
    doc = nlp("„Wir sind bereit“, sagte Lawrow am Dienstag in Moskau.", language="de")
    assert doc.skipped == "unsupported language: de"
    assert doc.attributions == []


def _child(q, parent_id):
    nlp = onrecord.load()
    # the parent's models, shared; its worker threads are not here
    q.put((id(nlp) == parent_id, len(list(nlp.pipe([LAVROV] * 4, n_threads=2)))))


@pytest.mark.skipif(sys.platform != "linux", reason="fork is the Linux default")
def test_safe_after_fork(nlp):
    # workers started in the parent first: a child must start its own
    list(nlp.pipe([LAVROV] * 8, n_threads=2))
    ctx = multiprocessing.get_context("fork")
    q = ctx.Queue()
    p = ctx.Process(target=_child, args=(q, id(nlp)))
    p.start()
    p.join(60)
    alive = p.is_alive()
    if alive:
        p.kill()
    assert not alive, "the child after fork hung"
    assert q.get(timeout=5) == (True, 4)


def test_arrow_tables_and_pandas(nlp):
    pa = pytest.importorskip("pyarrow")
    batch = pa.RecordBatch.from_pydict(
        {"id": ["a", "b"], "text": [LAVROV, "The weather in Moscow was fine on Tuesday."], "date": ["2025-11-11", None]}
    )
    t = onrecord.extract_arrow(batch)
    assert isinstance(t, pa.RecordBatch), "a batch in, a batch out"
    assert t.schema == onrecord.schema("statements")
    assert isinstance(onrecord.extract_arrow(pa.Table.from_batches([batch])), pa.Table)
    assert t.num_rows >= 2
    assert set(t.column("doc").to_pylist()) == {"a"}
    assert t.column("month").to_pylist()[0] == "2025-11"
    ents = onrecord.extract_arrow(batch, table="entities")
    assert "Sergey Lavrov" in ents.column("name").to_pylist()
    docs = onrecord.extract_arrow(batch, table="documents")
    assert docs.column("doc").to_pylist() == ["a", "b"]
    # records read back into the same tables
    recs = docs.column("record").to_pylist()
    assert onrecord.to_arrow(recs, "statements").column("content").to_pylist() == t.column("content").to_pylist()
    pd = pytest.importorskip("pandas")
    df = onrecord.to_pandas(nlp.pipe([LAVROV, LAVROV]))
    assert isinstance(df, pd.DataFrame)
    assert len(df) == 2 * len(nlp(LAVROV).attributions)
    with pytest.raises(ValueError, match="unknown table"):
        onrecord.schema("quotes")
    with pytest.raises(onrecord.OnRecordError, match="no column 'body'"):
        onrecord.extract_arrow(batch, text_col="body")


def test_duckdb_reads_the_parquet(tmp_path, nlp):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    duckdb = pytest.importorskip("duckdb")
    batch = pa.RecordBatch.from_pydict({"id": ["a"], "text": [LAVROV], "date": ["2025-11-11"]})
    pq.write_table(pa.Table.from_batches([onrecord.extract_arrow(batch)]), tmp_path / "statements.parquet")
    rows = duckdb.sql(
        f"SELECT speaker, count(*) AS n FROM '{tmp_path}/statements.parquet' GROUP BY speaker ORDER BY n DESC"
    ).fetchall()
    assert rows and "Lavrov" in rows[0][0]


def test_docs_python_md_lists_every_column():
    pytest.importorskip("pyarrow")
    from conftest import ROOT

    doc = (ROOT / "docs" / "python.md").read_text(encoding="utf-8")
    for table in onrecord.TABLES:
        for f in onrecord.schema(table):
            assert f"`{f.name}`" in doc, f"docs/python.md does not describe {table}.{f.name}"
