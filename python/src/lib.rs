//! `onrecord._onrecord`: the thin pyo3 layer between the Python package
//! (`python/onrecord/`) and the pipeline library (`onrecord-pipeline`).
//!
//! It converts Python inputs into documents, runs the pipeline on a thread
//! pool of its own with the GIL released, links in input order and hands
//! back the JSON of the output contract or Arrow IPC bytes. Everything
//! else (objects, caching, pandas, Spark) is Python, in `onrecord/`.
//!
//! Fork safety: no thread is started until the first batch; the pool
//! remembers the process it was started in and a child after `fork`
//! starts its own (the parent's threads do not exist there).

use onrecord_pipeline::arrow::{self, Row, Table};
use onrecord_pipeline::{interchange, output, Document, Extraction, Linker, Pipeline};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};
use rayon::prelude::*;
use serde_json::{Map, Value};
use std::sync::{Arc, Mutex};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

create_exception!(
    onrecord,
    OnRecordError,
    PyException,
    "An input OnRecord cannot read, or a model it cannot load (the message is the CLI's)."
);

/// The "file" of documents given from Python (a name no file has).
const PYTHON: &str = "<python>";

fn err(e: impl std::fmt::Display) -> PyErr {
    OnRecordError::new_err(e.to_string())
}

/// The worker pool: started on first use, in the process that uses it.
static POOL: Mutex<Option<(u32, usize, Arc<rayon::ThreadPool>)>> = Mutex::new(None);

fn pool(threads: usize) -> PyResult<Arc<rayon::ThreadPool>> {
    let pid = std::process::id();
    let mut g = POOL.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((p, n, pool)) = g.as_ref() {
        if *p == pid && *n == threads {
            return Ok(pool.clone());
        }
    }
    if let Some((p, _, old)) = g.take() {
        if p != pid {
            // a child after fork: the parent's workers are not here, and
            // dropping their pool would wait on them
            std::mem::forget(old);
        }
    }
    let built = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .thread_name(|i| format!("onrecord-{i}"))
        .build()
        .map_err(err)?;
    let built = Arc::new(built);
    *g = Some((pid, threads, built.clone()));
    Ok(built)
}

/// A Python value of an input field as JSON: str, None, bool, int,
/// float, or a list/tuple of them.
fn json_value(key: &str, v: &Bound<'_, PyAny>) -> PyResult<Value> {
    if v.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(Value::String(s.to_cow()?.into_owned()));
    }
    if let Ok(b) = v.extract::<bool>() {
        if v.is_instance_of::<pyo3::types::PyBool>() {
            return Ok(Value::Bool(b));
        }
    }
    if let Ok(i) = v.extract::<i64>() {
        return Ok(Value::from(i));
    }
    if let Ok(f) = v.extract::<f64>() {
        return Ok(serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number));
    }
    if v.is_instance_of::<PyList>() || v.is_instance_of::<PyTuple>() {
        let mut out = Vec::new();
        for x in v.try_iter()? {
            out.push(json_value(key, &x?)?);
        }
        return Ok(Value::Array(out));
    }
    Err(PyTypeError::new_err(format!(
        "field {key:?}: a {} is not a JSON value (use str, int, float, bool, None or a list)",
        v.get_type().name()?
    )))
}

/// One input (a text, or a dict of JSONL fields) as a document; `seq` is
/// taken out of a dict (its place in a larger input, for Spark).
fn to_document(item: &Bound<'_, PyAny>, n: usize) -> PyResult<(Document, Option<i64>)> {
    let path = format!("{PYTHON}:{n}");
    let mut obj = Map::new();
    let mut seq = None;
    if let Ok(s) = item.cast::<PyString>() {
        obj.insert("text".into(), Value::String(s.to_cow()?.into_owned()));
    } else if let Ok(d) = item.cast::<PyDict>() {
        // a document read by `read_path` (the CLI's reader), as it was read
        if let Some(doc) = d.get_item("document")? {
            if !doc.is_none() {
                let json: String = doc.extract()?;
                let doc: Document = serde_json::from_str(&json)
                    .map_err(|e| err(format!("item {n}: not a document read by onrecord: {e}")))?;
                let seq = match d.get_item("seq")? {
                    Some(v) => v.extract::<Option<i64>>()?,
                    None => None,
                };
                return Ok((doc, seq));
            }
        }
        for (k, v) in d.iter() {
            let k: String = k
                .extract()
                .map_err(|_| err(format!("item {n}: the keys of an article dict are strings")))?;
            if k == "seq" {
                seq = v.extract::<Option<i64>>().ok().flatten();
                continue;
            }
            let v = json_value(&k, &v).map_err(|e| {
                let py = item.py();
                PyTypeError::new_err(format!("item {n}: {}", e.value(py)))
            })?;
            obj.insert(k, v);
        }
    } else {
        return Err(PyTypeError::new_err(format!(
            "item {n}: expected a str (the text) or a dict of article fields, not {}",
            item.get_type().name()?
        )));
    }
    let mut doc = onrecord_pipeline::document_from_map(obj, &path)
        .map_err(|e| err(format!("item {n}: {e}")))?;
    // its key in a record is `<python>#ID`: its id, not its place in a batch
    doc.origin.file = PYTHON.to_string();
    doc.origin.position = Some(onrecord_core::Position::Line(n));
    Ok((doc, seq))
}

fn documents(items: &Bound<'_, PyList>, first: usize) -> PyResult<(Vec<Document>, Vec<i64>)> {
    let mut docs = Vec::with_capacity(items.len());
    let mut seqs = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let (d, seq) = to_document(&item, first + i)?;
        docs.push(d);
        seqs.push(seq.unwrap_or((first + i) as i64));
    }
    Ok((docs, seqs))
}

/// The cross-document state of one stream (`Pipeline.pipe`).
#[pyclass(name = "Linker", frozen, module = "onrecord._onrecord")]
struct PyLinker {
    inner: Mutex<Linker>,
}

#[pymethods]
impl PyLinker {
    #[new]
    fn new() -> Self {
        PyLinker {
            inner: Mutex::new(Linker::default()),
        }
    }
}

/// Every model, loaded once.
#[pyclass(name = "Native", frozen, module = "onrecord._onrecord")]
struct Native {
    pipeline: Arc<Pipeline>,
}

impl Native {
    fn extract(
        &self,
        py: Python<'_>,
        pool: &rayon::ThreadPool,
        docs: &[Document],
    ) -> Vec<Extraction> {
        let p = self.pipeline.clone();
        py.detach(|| pool.install(|| p.process_batch(docs)))
    }
}

#[pymethods]
impl Native {
    #[new]
    #[pyo3(signature = (model=None, ner_model=None, entities=true))]
    fn new(
        py: Python<'_>,
        model: Option<String>,
        ner_model: Option<String>,
        entities: bool,
    ) -> PyResult<Self> {
        let p = py
            .detach(|| {
                Pipeline::builder()
                    .model(model.as_deref().map(std::path::Path::new))
                    .ner_model(ner_model.as_deref().map(std::path::Path::new))
                    .entities(entities)
                    .load()
            })
            .map_err(err)?;
        Ok(Native {
            pipeline: Arc::new(p),
        })
    }

    /// `(json, text)` for each item: the output contract's JSON line
    /// (without its newline) and the text its offsets refer to. Linked
    /// through `linker` in order, when given.
    #[pyo3(signature = (items, first, threads, linker=None))]
    fn run(
        &self,
        py: Python<'_>,
        items: &Bound<'_, PyList>,
        first: usize,
        threads: usize,
        linker: Option<&Bound<'_, PyLinker>>,
    ) -> PyResult<Vec<(String, String)>> {
        let (docs, _) = documents(items, first)?;
        let pool = pool(threads)?;
        let mut results = self.extract(py, &pool, &docs);
        let linker = linker.map(|l| &l.get().inner);
        py.detach(|| {
            if let Some(l) = linker {
                let mut l = l.lock().unwrap_or_else(|p| p.into_inner());
                l.link_all(docs.iter().zip(&mut results));
            }
            pool.install(|| {
                docs.into_par_iter()
                    .zip(results)
                    .map(|(d, x)| {
                        let mut buf = Vec::with_capacity(4096);
                        output::write_document(&mut buf, &d, &x).map_err(err)?;
                        buf.pop(); // the newline
                        let json = String::from_utf8(buf).map_err(err)?;
                        Ok((json, d.text))
                    })
                    .collect()
            })
        })
    }

    /// Unlinked extractions in the interchange form, one JSON string each.
    fn records(
        &self,
        py: Python<'_>,
        items: &Bound<'_, PyList>,
        first: usize,
        threads: usize,
    ) -> PyResult<Vec<String>> {
        let (docs, _) = documents(items, first)?;
        let pool = pool(threads)?;
        let results = self.extract(py, &pool, &docs);
        Ok(py.detach(|| {
            docs.iter()
                .zip(&results)
                .map(|(d, x)| interchange::to_json(d, x))
                .collect()
        }))
    }

    /// The tables named in `names`, as Arrow IPC streams, for the
    /// unlinked extractions of `items` (a dict's `seq` is its place in the
    /// input; else its position from `first`).
    fn tables<'py>(
        &self,
        py: Python<'py>,
        items: &Bound<'py, PyList>,
        first: usize,
        threads: usize,
        names: Vec<String>,
    ) -> PyResult<Vec<Bound<'py, PyBytes>>> {
        let tables = names
            .iter()
            .map(|n| table(n))
            .collect::<PyResult<Vec<Table>>>()?;
        let (docs, seqs) = documents(items, first)?;
        let pool = pool(threads)?;
        let results = self.extract(py, &pool, &docs);
        let bytes = py.detach(|| -> PyResult<Vec<Vec<u8>>> {
            let rows: Vec<Row<'_>> = docs
                .iter()
                .zip(&results)
                .zip(&seqs)
                .map(|((doc, ex), &seq)| Row { seq, doc, ex })
                .collect();
            tables
                .iter()
                .map(|&t| arrow::to_ipc(&arrow::batch(t, &rows).map_err(err)?).map_err(err))
                .collect()
        })?;
        Ok(bytes.iter().map(|b| PyBytes::new(py, b)).collect())
    }
}

fn table(name: &str) -> PyResult<Table> {
    Table::parse(name).ok_or_else(|| {
        err(format!(
            "unknown table {name:?}: use statements, entities, events or documents"
        ))
    })
}

/// The table `name` (an Arrow IPC stream) of extractions in the
/// interchange form; no records give the empty table (its schema).
#[pyfunction]
fn tables<'py>(py: Python<'py>, records: Vec<String>, name: &str) -> PyResult<Bound<'py, PyBytes>> {
    let t = table(name)?;
    let bytes = py.detach(|| -> PyResult<Vec<u8>> {
        let parsed = records
            .iter()
            .enumerate()
            .map(|(i, r)| {
                interchange::from_json(r).map_err(|e| err(format!("record {}: {e}", i + 1)))
            })
            .collect::<PyResult<Vec<_>>>()?;
        let rows: Vec<Row<'_>> = parsed
            .iter()
            .enumerate()
            .map(|(i, (doc, ex))| Row {
                seq: i as i64 + 1,
                doc,
                ex,
            })
            .collect();
        arrow::to_ipc(&arrow::batch(t, &rows).map_err(err)?).map_err(err)
    })?;
    Ok(PyBytes::new(py, &bytes))
}

/// The documents of one input path (a file or folder of any kind the CLI
/// reads: text, JSONL, CSV, HTML, WARC, compressed or not), streamed:
/// `(seq, document, error, note)` with `seq = file_index * 2**32 + n`:
/// the document as JSON (for `Native.tables`), or what could not be read
/// with its place (file, line or record), or at the end what was passed
/// over (files and records that are not articles), so nothing is skipped
/// in silence.
#[pyclass(name = "Reader", unsendable, module = "onrecord._onrecord")]
struct Reader {
    docs: onrecord_ingest::Documents,
    path: String,
    base: i64,
    n: i64,
    done: bool,
}

#[pymethods]
impl Reader {
    #[new]
    #[pyo3(signature = (path, file_index=0, text_column=None))]
    fn new(path: &str, file_index: i64, text_column: Option<String>) -> Self {
        let options = onrecord_ingest::ReadOptions { text_column };
        Reader {
            docs: onrecord_ingest::read_paths_with(&[std::path::PathBuf::from(path)], options),
            path: path.to_string(),
            base: file_index << 32,
            n: 0,
            done: false,
        }
    }

    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    #[allow(clippy::type_complexity)]
    fn __next__(
        &mut self,
    ) -> PyResult<Option<(i64, Option<String>, Option<String>, Option<String>)>> {
        if self.done {
            return Ok(None);
        }
        let next = self.docs.next();
        let Some(item) = next else {
            self.done = true;
            // what was passed over is said too, never skipped in silence
            let skipped = self.docs.skipped();
            if !skipped.is_empty() {
                self.n += 1;
                let note = format!("{}: {skipped}", self.path);
                return Ok(Some((self.base + self.n, None, None, Some(note))));
            }
            return Ok(None);
        };
        self.n += 1;
        let seq = self.base + self.n;
        Ok(Some(match item {
            Ok(d) => (
                seq,
                Some(serde_json::to_string(&d).map_err(err)?),
                None,
                None,
            ),
            Err(e) => (seq, None, Some(e.to_string()), None),
        }))
    }
}

#[pymodule]
fn _onrecord(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("OnRecordError", m.py().get_type::<OnRecordError>())?;
    m.add_class::<Native>()?;
    m.add_class::<PyLinker>()?;
    m.add_class::<Reader>()?;
    m.add_function(wrap_pyfunction!(tables, m)?)?;
    Ok(())
}
