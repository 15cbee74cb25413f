"""Type stubs of onrecord (the Python package of OnRecord)."""

from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union, overload

import pyarrow
import pandas

__version__: str

Input = Union[str, Dict[str, Any]]

class OnRecordError(Exception):
    """An input OnRecord cannot read, or a model it cannot load (the
    message is the CLI's, with the item's position)."""

def load(model: Optional[str] = ..., ner_model: Optional[str] = ..., entities: bool = ...) -> Pipeline:
    """The pipeline with every model loaded, cached per process."""

class Pipeline:
    def __call__(
        self,
        text: str,
        *,
        id: Optional[str] = ...,
        date: Optional[str] = ...,
        title: Optional[str] = ...,
        outlet: Optional[str] = ...,
        url: Optional[str] = ...,
        authors: Optional[List[str]] = ...,
        language: Optional[str] = ...,
        **meta: Any,
    ) -> Doc:
        """One article and its metadata (the fields of a JSONL line)."""
    def pipe(
        self,
        items: Iterable[Input],
        batch_size: int = ...,
        n_threads: Optional[int] = ...,
        link: bool = ...,
    ) -> Iterator[Doc]:
        """Documents for a stream of texts or dicts, in input order; bounded
        memory, ``n_threads`` threads, the GIL released; linked in order."""
    def records(self, items: Sequence[Input], n_threads: Optional[int] = ..., first: int = ...) -> List[str]:
        """Unlinked extractions in the interchange form (what `onrecord link` reads)."""

class Part:
    text: str
    spans: List[Tuple[int, int]]
    @property
    def start(self) -> Optional[int]: ...
    @property
    def end(self) -> Optional[int]: ...

class Speaker:
    name: Optional[str]
    text: Optional[str]
    entity: Optional[str]
    type: Optional[str]

class Attribution:
    @property
    def kind(self) -> str: ...
    @property
    def source(self) -> Part: ...
    @property
    def cue(self) -> Part: ...
    @property
    def content(self) -> Part: ...
    @property
    def speaker(self) -> Optional[Speaker]: ...
    @property
    def date(self) -> Optional[str]: ...
    @property
    def stance(self) -> str: ...
    @property
    def thread(self) -> Optional[str]: ...
    @property
    def subject(self) -> List[str]: ...
    @property
    def confidence(self) -> float: ...
    def to_dict(self) -> Dict[str, Any]: ...

class Entity:
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def aliases(self) -> List[str]: ...
    @property
    def roles(self) -> List[Dict[str, Any]]: ...
    @property
    def mentions(self) -> List[Tuple[int, int]]: ...
    @property
    def candidates(self) -> List[str]: ...

class Event:
    @property
    def id(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def participants(self) -> List[str]: ...
    @property
    def places(self) -> List[str]: ...
    @property
    def date(self) -> Optional[str]: ...
    @property
    def planned(self) -> bool: ...

class Doc:
    def to_dict(self) -> Dict[str, Any]:
        """The JSON object of `onrecord extract` for this document."""
    def to_json(self) -> str: ...
    @property
    def id(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def date(self) -> Optional[str]: ...
    @property
    def title(self) -> Optional[str]: ...
    @property
    def outlet(self) -> Optional[str]: ...
    @property
    def url(self) -> Optional[str]: ...
    @property
    def language(self) -> Optional[str]: ...
    @property
    def skipped(self) -> Optional[str]: ...
    @property
    def text(self) -> str:
        """The text every offset refers to."""
    @property
    def attributions(self) -> List[Attribution]: ...
    @property
    def entities(self) -> List[Entity]: ...
    @property
    def events(self) -> List[Event]: ...
    @property
    def dates(self) -> List[Dict[str, Any]]: ...
    @property
    def diagnostics(self) -> List[Dict[str, Any]]: ...

TABLES: Tuple[str, ...]

def schema(table: str = ...) -> pyarrow.Schema:
    """The Arrow schema of statements, entities, events or documents."""

def to_arrow(records: Sequence[str], table: str = ...) -> pyarrow.Table:
    """A table from extractions in the interchange form."""

@overload
def extract_arrow(
    batch: pyarrow.RecordBatch,
    text_col: str = ...,
    table: str = ...,
    n_threads: Optional[int] = ...,
    nlp: Optional[Pipeline] = ...,
) -> pyarrow.RecordBatch:
    """A batch with a text column in, a batch of statements (or entities,
    events, documents) out; not linked across documents."""
@overload
def extract_arrow(
    batch: pyarrow.Table,
    text_col: str = ...,
    table: str = ...,
    n_threads: Optional[int] = ...,
    nlp: Optional[Pipeline] = ...,
) -> pyarrow.Table: ...

def to_pandas(docs: Iterable[Doc]) -> pandas.DataFrame:
    """One row per statement."""
