"""OnRecord: who said what, about what, and when, from news text.

The same Rust pipeline as the ``onrecord`` command, with its models inside
the package (nothing is downloaded)::

    import onrecord
    nlp = onrecord.load()
    doc = nlp("“We are ready,” Sergei Lavrov said.", date="2025-11-12")
    for a in doc.attributions:
        print(a.speaker.name, a.kind, a.content.text, a.content.start, a.content.end)
    doc.to_dict()                 # the JSON of `onrecord extract` (docs/output.md)

Offsets are Unicode code points (Python string indexes) into ``doc.text``.
Extraction runs in Rust with the GIL released; ``pipe`` streams a batch at
a time on its own worker threads, which are started on first use (never
before a ``fork``) and started again in a child process after one.
"""

from __future__ import annotations

import itertools
import json
import os
import threading
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from . import _onrecord
from ._onrecord import OnRecordError, __version__

__all__ = [
    "load",
    "Pipeline",
    "Doc",
    "Attribution",
    "Speaker",
    "Part",
    "Entity",
    "Event",
    "OnRecordError",
    "extract_arrow",
    "to_arrow",
    "to_pandas",
    "schema",
    "__version__",
]

Input = Union[str, Dict[str, Any]]

_CACHE: Dict[Tuple[Any, ...], "Pipeline"] = {}
_CACHE_LOCK = threading.Lock()


def _after_fork_in_child() -> None:
    # another thread may have held the lock (loading models, the GIL
    # released) when this process forked: the child gets a fresh one
    global _CACHE_LOCK
    _CACHE_LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def load(
    model: Optional[str] = None,
    ner_model: Optional[str] = None,
    entities: bool = True,
) -> "Pipeline":
    """The pipeline with every model loaded, cached per process.

    ``model`` and ``ner_model`` are model files in place of the built-in
    attribution and entity models (the CLI's ``--model`` and
    ``--ner-model``); ``entities=False`` is ``--no-entities``. A second
    call with the same options gives the same object. The loaded models
    are plain read-only data, so a child process after ``fork`` keeps
    using them (shared with the parent, not loaded again); only the worker
    threads are started anew there.
    """
    key = (
        None if model is None else os.fspath(model),
        None if ner_model is None else os.fspath(ner_model),
        bool(entities),
    )
    with _CACHE_LOCK:
        p = _CACHE.get(key)
        if p is None:
            native = _onrecord.Native(*key)
            p = Pipeline(native, key)
            _CACHE[key] = p
        return p


class Pipeline:
    """Every model, loaded once; call it on a text, or ``pipe`` a stream."""

    __slots__ = ("_native", "_options")

    def __init__(self, native: Any, options: Tuple[Any, ...]) -> None:
        self._native = native
        self._options = options

    def __reduce__(self):
        # another process loads its own (cached) pipeline: models are not
        # sent, the options are
        return (load, self._options)

    def __repr__(self) -> str:
        return f"onrecord.Pipeline(model={self._options[0]!r}, ner_model={self._options[1]!r}, entities={self._options[2]!r})"

    def __call__(self, text: str, **meta: Any) -> "Doc":
        """One article: ``text`` and its metadata as keywords (``id``,
        ``date`` as YYYY-MM-DD, ``title``, ``outlet``, ``url``, ``authors``,
        ``language``, …: the fields of a JSONL line, docs/inputs.md)."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, not {type(text).__name__}")
        item = dict(meta)
        item["text"] = text
        return next(self.pipe([item], batch_size=1, n_threads=1))

    def pipe(
        self,
        items: Iterable[Input],
        batch_size: int = 256,
        n_threads: Optional[int] = None,
        link: bool = True,
    ) -> Iterator["Doc"]:
        """Documents for a stream of texts or dicts (the fields of a JSONL
        line), in input order.

        Reads ``batch_size`` items at a time, so memory stays bounded by it;
        extracts each batch on ``n_threads`` threads (default: every core)
        with the GIL released. With ``link`` (the default, as ``onrecord
        extract`` does), identities, events and threads are settled across
        the documents of this stream, in order. A bad item raises
        :class:`OnRecordError` naming its position and what is wrong.
        """
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        threads = _threads(n_threads)
        linker = _onrecord.Linker() if link else None
        native = self._native
        # one batch in flight: the Rust side extracts batch N (GIL released)
        # while this thread reads batch N+1 and hands out batch N-1; order
        # (and linking) stays the input's, since batches go one at a time
        from concurrent.futures import ThreadPoolExecutor

        it = iter(items)
        first = 1
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="onrecord-pipe") as ex:
            pending = None
            while True:
                batch = list(itertools.islice(it, batch_size))
                running = ex.submit(native.run, batch, first, threads, linker) if batch else None
                first += len(batch)
                if pending is not None:
                    for out in pending.result():
                        yield Doc(out)
                if running is None:
                    break
                pending = running

    def records(
        self, items: Sequence[Input], n_threads: Optional[int] = None, first: int = 1
    ) -> List[str]:
        """Unlinked extractions in the pipeline's interchange form, one JSON
        string per item (what ``onrecord link`` reads back): for running
        extraction elsewhere and the cross-document step later."""
        return self._native.records(list(items), first, _threads(n_threads))


def _threads(n: Optional[int]) -> int:
    if n is None:
        return os.cpu_count() or 1
    if n < 1:
        raise ValueError("n_threads must be at least 1")
    return int(n)


class Part:
    """The source, cue or content of a statement: its text and its spans
    (``[start, end)`` in code points; several when the words are
    discontinuous, as in "The plan, he said, is dead")."""

    __slots__ = ("text", "spans")

    def __init__(self, text: str, spans: List[List[int]]) -> None:
        self.text = text
        self.spans = [tuple(s) for s in spans]

    @property
    def start(self) -> Optional[int]:
        return self.spans[0][0] if self.spans else None

    @property
    def end(self) -> Optional[int]:
        return self.spans[-1][1] if self.spans else None

    def __bool__(self) -> bool:
        return bool(self.spans)

    def __repr__(self) -> str:
        return f"Part({self.text!r}, spans={self.spans!r})"


class Speaker:
    """Who made a statement: the ``name`` it resolves to, the ``text`` of
    the source, the ``entity`` id (a person or organisation) and ``type``."""

    __slots__ = ("name", "text", "entity", "type")

    def __init__(self, d: Dict[str, Any]) -> None:
        self.name = d.get("name")
        self.text = d.get("text")
        self.entity = d.get("entity")
        self.type = d.get("type")

    def __repr__(self) -> str:
        return f"Speaker({self.name!r}, entity={self.entity!r})"


class Attribution:
    """One statement: ``kind`` (direct, indirect, mixed), ``speaker``,
    ``source``, ``cue`` and ``content`` parts, the ``date`` it refers to,
    ``stance``, ``thread``, ``subject`` and ``confidence``."""

    __slots__ = ("_d",)

    def __init__(self, d: Dict[str, Any]) -> None:
        self._d = d

    def _part(self, role: str) -> Part:
        return Part(self._d["text"][role], self._d[role])

    kind = property(lambda self: self._d["kind"])
    source = property(lambda self: self._part("source"))
    cue = property(lambda self: self._part("cue"))
    content = property(lambda self: self._part("content"))
    speaker = property(lambda self: Speaker(self._d["speaker"]) if self._d.get("speaker") else None)
    date = property(lambda self: (self._d.get("date") or {}).get("value"))
    stance = property(lambda self: self._d["stance"])
    thread = property(lambda self: self._d.get("about"))
    subject = property(lambda self: list(self._d["subject"]))
    confidence = property(lambda self: self._d["confidence"])

    def to_dict(self) -> Dict[str, Any]:
        return json.loads(json.dumps(self._d))

    def __repr__(self) -> str:
        who = self._d["speaker"]["name"] if self._d.get("speaker") else None
        return f"Attribution({self.kind}, speaker={who!r}, content={self._d['text']['content'][:60]!r})"


class Entity:
    """A person, organisation, place or other name, with its id across
    documents, ``aliases``, ``roles`` and ``mentions`` (code-point spans)."""

    __slots__ = ("_d",)

    def __init__(self, d: Dict[str, Any]) -> None:
        self._d = d

    id = property(lambda self: self._d["id"])
    name = property(lambda self: self._d["name"])
    type = property(lambda self: self._d["type"])
    aliases = property(lambda self: list(self._d["aliases"]))
    roles = property(lambda self: list(self._d["roles"]))
    mentions = property(lambda self: [tuple(m) for m in self._d["mentions"]])
    candidates = property(lambda self: list(self._d.get("candidates", [])))

    def __repr__(self) -> str:
        return f"Entity({self.type} {self.name!r}, id={self.id!r})"


class Event:
    """A reported meeting, call, visit or signing, with its participants,
    places and date."""

    __slots__ = ("_d",)

    def __init__(self, d: Dict[str, Any]) -> None:
        self._d = d

    id = property(lambda self: self._d["id"])
    type = property(lambda self: self._d["type"])
    participants = property(lambda self: [p["name"] for p in self._d["participants"]])
    places = property(lambda self: [p["name"] for p in self._d["places"]])
    date = property(lambda self: (self._d.get("date") or {}).get("value"))
    planned = property(lambda self: self._d["planned"])

    def __repr__(self) -> str:
        return f"Event({self.type} {self.id!r})"


class Doc:
    """One document's extraction. ``to_dict()`` is exactly the JSON object
    ``onrecord extract`` prints for it (docs/output.md). The JSON is parsed
    on first use; a ``Doc`` pickles as that JSON."""

    __slots__ = ("_json", "_d", "_text")

    def __init__(self, out: Tuple[str, str]) -> None:
        self._json, self._text = out
        self._d: Optional[Dict[str, Any]] = None

    def __reduce__(self):
        return (Doc, ((self._json, self._text),))

    @property
    def _dict(self) -> Dict[str, Any]:
        if self._d is None:
            self._d = json.loads(self._json)
        return self._d

    def to_dict(self) -> Dict[str, Any]:
        """The JSON object of ``onrecord extract`` for this document (a new
        dict each call)."""
        return json.loads(self._json)

    def to_json(self) -> str:
        """That object as one line of JSON."""
        return self._json

    id = property(lambda self: self._dict["doc"])
    path = property(lambda self: self._dict["path"])
    date = property(lambda self: self._dict["date"])
    title = property(lambda self: self._dict["title"])
    outlet = property(lambda self: self._dict["outlet"])
    url = property(lambda self: self._dict["url"])
    language = property(lambda self: self._dict.get("language"))
    skipped = property(lambda self: self._dict.get("skipped"))

    @property
    def text(self) -> str:
        """The text every offset refers to."""
        return self._text

    @property
    def attributions(self) -> List[Attribution]:
        return [Attribution(a) for a in self._dict["attributions"]]

    @property
    def entities(self) -> List[Entity]:
        return [Entity(e) for e in self._dict["entities"]]

    @property
    def events(self) -> List[Event]:
        return [Event(e) for e in self._dict["events"]]

    @property
    def dates(self) -> List[Dict[str, Any]]:
        return list(self._dict["dates"])

    @property
    def diagnostics(self) -> List[Dict[str, Any]]:
        return list(self._dict["diagnostics"])

    def __repr__(self) -> str:
        return f"Doc({self.id!r}, {len(self._dict['attributions'])} attributions)"


# --- Arrow and pandas -----------------------------------------------------

TABLES = ("statements", "entities", "events", "documents")


def _pa():
    try:
        import pyarrow as pa
    except ImportError as e:  # pragma: no cover - the message is the point
        raise ImportError("onrecord's Arrow functions need pyarrow: pip install pyarrow") from e
    return pa


def _read_ipc(data: bytes):
    pa = _pa()
    return pa.ipc.open_stream(pa.py_buffer(data)).read_all()


def schema(table: str = "statements"):
    """The Arrow schema of one of the tables (``statements``, ``entities``,
    ``events``, ``documents``); docs/python.md lists the columns."""
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}: use one of {', '.join(TABLES)}")
    return _read_ipc(_onrecord.tables([], table)).schema


def to_arrow(records: Sequence[str], table: str = "statements"):
    """A ``pyarrow.Table`` of ``table`` from extractions in the interchange
    form (:meth:`Pipeline.records`)."""
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}: use one of {', '.join(TABLES)}")
    return _read_ipc(_onrecord.tables(list(records), table))


_META = ("id", "date", "title", "outlet", "url", "authors", "language", "description", "editor", "seq")


def _batch_items(batch, text_col: str) -> List[Dict[str, Any]]:
    names = batch.schema.names
    if "document" in names:
        # documents read by the CLI's reader (onrecord.spark.read_paths);
        # rows that could not be read carry an error instead, reported apart
        docs = batch.column(names.index("document")).to_pylist()
        seqs = batch.column(names.index("seq")).to_pylist() if "seq" in names else [None] * len(docs)
        return [{"document": d, "seq": q} for d, q in zip(docs, seqs) if d is not None]
    if text_col not in names:
        raise OnRecordError(f"the batch has no column {text_col!r} (columns: {', '.join(names)})")
    cols = {n: batch.column(names.index(n)).to_pylist() for n in names if n == text_col or n in _META}
    out = []
    for i in range(batch.num_rows):
        item = {k: v[i] for k, v in cols.items() if v[i] is not None and k != text_col}
        item["text"] = cols[text_col][i]
        if item["text"] is None:
            item["text"] = ""
        if "date" in item and not isinstance(item["date"], str):
            item["date"] = str(item["date"])[:10]
        out.append(item)
    return out


def extract_arrow(batch, text_col: str = "text", table: str = "statements", n_threads: Optional[int] = None, nlp: Optional[Pipeline] = None):
    """A ``pyarrow.RecordBatch`` with a text column in, a ``RecordBatch``
    of ``table`` out (one row per statement by default); a ``Table`` in, a
    ``Table`` out.
    Other columns named as JSONL fields (``id``, ``date``, ``title``,
    ``outlet``, ``url``, …) are read as the document's metadata. Not linked
    across documents (see docs/scale.md: ``onrecord link`` does that)."""
    pa = _pa()
    given_table = isinstance(batch, pa.Table)
    if given_table:
        batch = batch.combine_chunks().to_batches()[0] if batch.num_rows else pa.RecordBatch.from_pylist([], schema=batch.schema)
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}: use one of {', '.join(TABLES)}")
    nlp = nlp or load()
    items = _batch_items(batch, text_col)
    ipc = nlp._native.tables(items, 1, _threads(n_threads), [table])[0]
    if given_table:
        return _read_ipc(ipc)
    # one batch in, one batch out
    return pa.ipc.open_stream(pa.py_buffer(ipc)).read_next_batch()


def to_pandas(docs: Iterable[Doc]):
    """One row per statement of ``docs`` (pandas ``DataFrame``): the
    document's id, date, outlet and title, then the statement's kind,
    speaker, cue, content (text and code-point offsets), date, stance,
    thread and confidence."""
    import pandas as pd

    rows = []
    for d in docs:
        dd = d._dict
        for i, a in enumerate(dd["attributions"]):
            sp = a.get("speaker") or {}
            content = a["content"]
            rows.append(
                {
                    "doc": dd["doc"],
                    "date": dd["date"],
                    "outlet": dd["outlet"],
                    "title": dd["title"],
                    "index": i,
                    "kind": a["kind"],
                    "speaker": sp.get("name"),
                    "speaker_text": sp.get("text"),
                    "speaker_entity": sp.get("entity"),
                    "cue": a["text"]["cue"],
                    "content": a["text"]["content"],
                    "content_start": content[0][0] if content else None,
                    "content_end": content[-1][1] if content else None,
                    "statement_date": (a.get("date") or {}).get("value"),
                    "stance": a["stance"],
                    "thread": a.get("about"),
                    "confidence": a["confidence"],
                }
            )
    cols = ["doc", "date", "outlet", "title", "index", "kind", "speaker", "speaker_text", "speaker_entity", "cue", "content", "content_start", "content_end", "statement_date", "stance", "thread", "confidence"]
    return pd.DataFrame(rows, columns=cols)
