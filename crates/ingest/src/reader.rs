//! Streaming over paths: files, directory walks, stdin; every format
//! recognised by its name and its first bytes, compressed or not.

use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Cursor, Read, Seek};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use onrecord_core::{Document, Format};
use rayon::prelude::*;

use crate::csv::CsvReader;
use crate::fields::{finish, Raw};
use crate::jsonl::JsonlReader;
use crate::open::{decoded, peek, read_limited, Compression, COMPRESSED_SUFFIXES, READ_BUFFER};
use crate::sidecar::{date_in_name, Sidecars};
use crate::warc::WarcReader;
use crate::{parse_text_file, ErrorKind, IngestError, BINARY_SNIFF_BYTES, BOM, MAX_FILE_BYTES};

/// At most this many documents are read ahead and finished together (web
/// pages extracted, languages detected) on all cores.
const READ_AHEAD: usize = 64;
/// ... or this many bytes of input, whichever comes first.
const READ_AHEAD_BYTES: usize = 32 * 1024 * 1024;

/// How to read inputs.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The CSV/TSV column holding the text (default: the first of
    /// [`crate::TEXT_COLUMNS`] the header has).
    pub text_column: Option<String>,
}

/// What was passed over without being read as articles, counted so that
/// nothing is skipped in silence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Skipped {
    /// Files a directory walk did not read, by extension (`".pdf"`, or
    /// `"no extension"`): neither a known article format nor HTML by content.
    pub files: BTreeMap<String, u64>,
    /// WARC records that are not pages, by what they are
    /// (`"request records"`, `"HTTP 404 responses"`, `"application/pdf responses"`).
    pub records: BTreeMap<String, u64>,
    /// Documents read with NUL characters in them (each made a space).
    pub nul_documents: u64,
}

impl Skipped {
    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.records.is_empty() && self.nul_documents == 0
    }
}

impl fmt::Display for Skipped {
    /// `skipped 12 files (10 .pdf, 2 no extension); 23 WARC records (20 request records, 3 HTTP 404 responses)`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let group = |what: &str, m: &BTreeMap<String, u64>| {
            let n: u64 = m.values().sum();
            let each: Vec<String> = m
                .iter()
                .map(|(k, n)| format!("{n} {}", one_or_many(k, *n)))
                .collect();
            let s = if n == 1 { "" } else { "s" };
            format!("{n} {what}{s} ({})", each.join(", "))
        };
        let mut parts = Vec::new();
        if !self.files.is_empty() {
            parts.push(group("file", &self.files));
        }
        if !self.records.is_empty() {
            parts.push(group("WARC record", &self.records));
        }
        if !parts.is_empty() {
            write!(f, "skipped {}", parts.join("; "))?;
        }
        if self.nul_documents > 0 {
            let n = self.nul_documents;
            let sep = if parts.is_empty() { "" } else { "; " };
            let s = if n == 1 { "" } else { "s" };
            write!(f, "{sep}NUL bytes made spaces in {n} document{s}")?;
        }
        Ok(())
    }
}

/// Makes each NUL character of the document a space (in its text and
/// metadata): SQLite's text functions and full-text search stop at one.
/// A space keeps every offset into the text exact. Whether there was one.
fn blank_nuls(d: &mut Document) -> bool {
    let mut any = false;
    let mut blank = |s: &mut String| {
        if s.contains('\0') {
            *s = s.replace('\0', " ");
            any = true;
        }
    };
    blank(&mut d.text);
    for f in [
        &mut d.meta.title,
        &mut d.meta.outlet,
        &mut d.meta.url,
        &mut d.meta.description,
    ]
    .into_iter()
    .flatten()
    {
        blank(f);
    }
    d.meta.authors.iter_mut().for_each(&mut blank);
    any
}

/// A kind of skipped record, named in the plural ("request records",
/// "HTTP 404 responses"), in the singular when there is one of it.
fn one_or_many(kind: &str, n: u64) -> &str {
    match kind.strip_suffix('s') {
        Some(one) if n == 1 && (one.ends_with(" record") || one.ends_with(" response")) => one,
        _ => kind,
    }
}

/// Streams documents from the given paths, in a deterministic order: each
/// path in order; directories walked recursively with entries sorted by
/// name; hidden files (starting with '.') skipped. "-" reads stdin.
///
/// Formats are told by the content and the name (after a compression
/// suffix: `a.jsonl.gz` is JSONL): gzip, zstd and bzip2 by their magic
/// bytes around any of them; WARC (`WARC/1.x` first line, or `.warc`):
/// one document per HTML response record; JSONL (`.jsonl`, `.ndjson`):
/// one per line; news-please JSON (`.json`): one per file; CSV/TSV
/// (`.csv`, `.tsv`): one per record; HTML (`.html`, `.htm`, `.xhtml`,
/// `.shtml`, or content that sniffs as HTML): the page's main text; plain
/// text (`.txt`) in the PolNeAR or seed layout, with a `metadata.tsv` or
/// `metadata.csv` beside it (or one folder up) and dates in file names.
/// A file named explicitly is always read (as plain text if nothing else);
/// a directory walk passes over other files and counts them
/// ([`Documents::skipped`]), and does not follow symbolic links to
/// directories. Each unreadable file, record or line is one `Err` item and
/// the stream goes on. Documents are read a few at a time (at most 64, or
/// 32 MiB) and finished on all cores: web pages extracted, the language of
/// each detected ([`crate::detect_language`]).
pub fn read_paths(paths: &[PathBuf]) -> Documents {
    read_paths_with(paths, ReadOptions::default())
}

/// [`read_paths`] with options.
pub fn read_paths_with(paths: &[PathBuf], options: ReadOptions) -> Documents {
    Documents {
        queue: paths.iter().cloned().collect(),
        walk: Vec::new(),
        current: None,
        current_stamp: None,
        ready: VecDeque::new(),
        pending: VecDeque::new(),
        sidecars: Sidecars::default(),
        skipped: Skipped::default(),
        options,
        consumed: Arc::default(),
    }
}

/// The bytes of the files a read of `paths` goes through, by the same walk
/// rules (hidden entries and symlinked directories left out, metadata
/// sidecars counted with nothing): the total that [`Documents::consumed`]
/// reaches at the end. Standard input and unreadable entries count 0.
pub fn input_size(paths: &[PathBuf]) -> u64 {
    /// `top`: named on the command line (followed wherever it leads).
    fn size(path: &Path, top: bool) -> u64 {
        let Ok(own) = fs::symlink_metadata(path) else {
            return 0;
        };
        let link = own.file_type().is_symlink();
        let Ok(meta) = (if link { fs::metadata(path) } else { Ok(own) }) else {
            return 0;
        };
        if meta.is_dir() {
            if link && !top {
                return 0; // a walk does not follow links to directories
            }
            let Ok(entries) = fs::read_dir(path) else {
                return 0;
            };
            return entries
                .flatten()
                .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
                .map(|e| size(&e.path(), false))
                .sum();
        }
        if meta.is_file() && (top || !is_sidecar(path)) {
            meta.len()
        } else {
            0
        }
    }
    paths.iter().map(|p| size(p, true)).sum()
}

/// Counts the bytes read through it into a shared total.
struct Tally<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Tally<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl<R: Seek> Seek for Tally<R> {
    fn seek(&mut self, pos: io::SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// A reader of a file that holds several documents.
enum Multi {
    Jsonl(JsonlReader),
    Csv(Box<CsvReader>),
    Warc(WarcReader),
}

impl Multi {
    fn next(&mut self) -> Option<Raw> {
        match self {
            Multi::Jsonl(r) => r.next(),
            Multi::Csv(r) => r.next(),
            Multi::Warc(r) => r.next(),
        }
    }
}

/// The iterator returned by [`read_paths`].
pub struct Documents {
    queue: VecDeque<PathBuf>,
    /// One entry per directory being walked: its remaining sorted entries.
    walk: Vec<std::vec::IntoIter<PathBuf>>,
    current: Option<Multi>,
    /// The file `current` reads and how it was when opened (size,
    /// modification time), to tell if it changed while it was read.
    current_stamp: Option<(PathBuf, Stamp)>,
    /// Finished documents, in input order.
    ready: VecDeque<Result<Document, IngestError>>,
    /// Errors to report before what comes next (bad rows of a metadata file).
    pending: VecDeque<IngestError>,
    sidecars: Sidecars,
    skipped: Skipped,
    options: ReadOptions,
    /// Bytes read from input files so far, and the sizes of files passed
    /// over (progress against [`input_size`]).
    consumed: Arc<AtomicU64>,
}

impl Iterator for Documents {
    type Item = Result<Document, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.ready.is_empty() {
            self.read_ahead();
        }
        self.ready.pop_front()
    }
}

impl Documents {
    /// What was passed over so far (complete once the stream has ended).
    pub fn skipped(&self) -> &Skipped {
        &self.skipped
    }

    /// Bytes of input read so far (compressed bytes as stored), with the
    /// sizes of the files a walk passed over: progress against
    /// [`input_size`]. Read-ahead makes it run a little ahead of the
    /// documents handed out; bytes read again after damage in a WARC count
    /// twice, so callers cap it at the total.
    pub fn consumed(&self) -> u64 {
        self.consumed.load(Ordering::Relaxed)
    }

    /// Reads up to [`READ_AHEAD`] documents and finishes them on all cores.
    fn read_ahead(&mut self) {
        let mut raws = Vec::new();
        let mut bytes = 0usize;
        while raws.len() < READ_AHEAD && bytes < READ_AHEAD_BYTES {
            let Some(raw) = self.next_raw() else { break };
            bytes += match &raw {
                Raw::Ready(d) => d.text.len(),
                Raw::Html(j) => j.bytes.len(),
                Raw::Failed(_) => 0,
            };
            let cheap = matches!(raw, Raw::Ready(_) | Raw::Failed(_));
            raws.push(raw);
            // a lone cheap item need not wait for company
            if cheap && raws.len() == 1 && self.is_idle() {
                break;
            }
        }
        let mut done: Vec<_> = if raws.len() == 1 {
            raws.into_iter().map(finish).collect()
        } else {
            raws.into_par_iter().map(finish).collect()
        };
        for d in done.iter_mut().flatten() {
            if blank_nuls(d) {
                self.skipped.nul_documents += 1;
            }
        }
        self.ready.extend(done);
    }

    /// Nothing more is queued (the next read would find the end).
    fn is_idle(&self) -> bool {
        self.current.is_none()
            && self.walk.is_empty()
            && self.queue.is_empty()
            && self.pending.is_empty()
    }

    /// The next document read, not yet finished.
    fn next_raw(&mut self) -> Option<Raw> {
        loop {
            if let Some(e) = self.pending.pop_front() {
                return Some(Raw::Failed(e));
            }
            if let Some(multi) = self.current.as_mut() {
                match multi.next() {
                    Some(item) => return Some(item),
                    None => {
                        if let Some(Multi::Warc(w)) = self.current.take() {
                            for (k, n) in w.skipped {
                                *self.skipped.records.entry(k).or_default() += n;
                            }
                        }
                        self.current = None;
                        if let Some((path, stamp)) = self.current_stamp.take() {
                            if Stamp::of(&path) != Some(stamp) {
                                return Some(Raw::Failed(IngestError::new(
                                    path_string(&path),
                                    ErrorKind::ChangedStream,
                                )));
                            }
                        }
                    }
                }
                continue;
            }
            if let Some(dir) = self.walk.last_mut() {
                match dir.next() {
                    Some(path) => {
                        if let Some(item) = self.walk_entry(path) {
                            return Some(item);
                        }
                    }
                    None => {
                        self.walk.pop();
                    }
                }
                continue;
            }
            let path = self.queue.pop_front()?;
            let item = if path.as_os_str() == "-" {
                self.open_stream(Box::new(io::stdin()))
            } else {
                match fs::metadata(&path) {
                    Err(e) => Some(Raw::Failed(io_error(&path, e))),
                    Ok(m) if m.is_dir() => self.push_dir(&path).err().map(Raw::Failed),
                    Ok(m) if m.is_file() => self.open_file(&path, true),
                    Ok(m) => self.open_special(&path, &m),
                }
            };
            if let Some(item) = item {
                return Some(item);
            }
        }
    }
}

/// A path as a string: as given when it is UTF-8; else its canonical
/// (absolute) form with each byte that is not UTF-8 written `\xFF`, so
/// that two names differing only there (`a\xfe.txt`, `a\xff.txt`) stay two
/// articles, whatever the working directory.
pub(crate) fn path_string(path: &Path) -> String {
    if let Some(s) = path.to_str() {
        return s.to_string();
    }
    let full = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    escape_bytes(&full)
}

#[cfg(unix)]
fn escape_bytes(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut out = String::new();
    for chunk in path.as_os_str().as_bytes().utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out
}

#[cfg(not(unix))]
fn escape_bytes(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// A file's name without its compression suffix and extension
/// (`a.jsonl.gz` → `a`): the stem of document ids.
pub(crate) fn file_stem(path: &str) -> String {
    let name = Path::new(path)
        .file_name()
        .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned());
    let name = strip_compression(&name);
    match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem.to_string(),
        _ => name.to_string(),
    }
}

fn io_error(path: &Path, e: io::Error) -> IngestError {
    IngestError::new(path_string(path), ErrorKind::Io(e))
}

/// An I/O error while reading: decoding errors (corrupt or cut compressed
/// data) are told apart from the file system's.
pub(crate) fn read_error(e: io::Error) -> ErrorKind {
    match e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<crate::open::DecodeError>())
    {
        Some(d) => ErrorKind::Compression {
            format: d.format,
            message: d.message.clone(),
        },
        None => ErrorKind::Io(e),
    }
}

/// `name` without a compression suffix (`a.jsonl.gz` → `a.jsonl`).
fn strip_compression(name: &str) -> &str {
    match name.rsplit_once('.') {
        Some((rest, ext)) if COMPRESSED_SUFFIXES.contains(&ext.to_ascii_lowercase().as_str()) => {
            rest
        }
        _ => name,
    }
}

/// The extension that names the format, under any compression suffix.
fn inner_extension(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let inner = strip_compression(&name);
    match inner.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => String::new(),
    }
}

/// What a file holds, as far as its name tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Named {
    Text,
    Jsonl,
    Json,
    Csv,
    Tsv,
    Html,
    Warc,
    /// A name that says nothing: the content decides.
    Unknown,
}

fn named(path: &Path) -> Named {
    match inner_extension(path).as_str() {
        "txt" | "text" => Named::Text,
        "jsonl" | "ndjson" => Named::Jsonl,
        "json" => Named::Json,
        "csv" => Named::Csv,
        "tsv" | "tab" => Named::Tsv,
        "html" | "htm" | "xhtml" | "shtml" => Named::Html,
        "warc" | "arc" => Named::Warc,
        _ => Named::Unknown,
    }
}

/// The first decoded bytes of a stream whose raw head is `head`
/// (compressed with `c`): enough to tell its format.
fn decoded_head(head: &[u8], c: Compression) -> Vec<u8> {
    let mut out = Vec::new();
    let mut take = |r: &mut dyn Read| {
        let _ = r.take(1024).read_to_end(&mut out);
    };
    match c {
        Compression::None => out.extend_from_slice(&head[..head.len().min(1024)]),
        Compression::Gzip => take(&mut flate2::bufread::MultiGzDecoder::new(head)),
        Compression::Zstd => {
            if let Ok(mut d) = zstd::stream::read::Decoder::new(head) {
                take(&mut d);
            }
        }
        Compression::Bzip2 => take(&mut bzip2::bufread::MultiBzDecoder::new(head)),
    }
    out
}

/// The format the content tells (for names that do not).
fn sniffed(head: &[u8]) -> Option<Named> {
    let h = head.strip_prefix(BOM.as_bytes()).unwrap_or(head);
    let first = h
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map(|i| &h[i..]);
    if h.starts_with(b"WARC/1.") || h.starts_with(b"WARC/0.") {
        Some(Named::Warc)
    } else if first.is_some_and(|f| f.starts_with(b"{")) {
        Some(Named::Jsonl)
    } else if onrecord_html::looks_like_html(h) {
        Some(Named::Html)
    } else {
        None
    }
}

impl Documents {
    /// Starts walking a directory: its visible entries, sorted by name.
    fn push_dir(&mut self, dir: &Path) -> Result<(), IngestError> {
        let mut entries = Vec::new();
        for entry in fs::read_dir(dir).map_err(|e| io_error(dir, e))? {
            let entry = entry.map_err(|e| io_error(dir, e))?;
            if !entry.file_name().to_string_lossy().starts_with('.') {
                entries.push(entry.path());
            }
        }
        entries.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
        self.walk.push(entries.into_iter());
        Ok(())
    }

    /// One entry of a directory walk.
    fn walk_entry(&mut self, path: PathBuf) -> Option<Raw> {
        let meta = match fs::symlink_metadata(&path) {
            Ok(m) => m,
            Err(e) => return Some(Raw::Failed(io_error(&path, e))),
        };
        if meta.is_dir() {
            return self.push_dir(&path).err().map(Raw::Failed);
        }
        if meta.file_type().is_symlink() {
            // Follow links to files only (no cycles through directories).
            match fs::metadata(&path) {
                Ok(m) if m.is_file() => {}
                Ok(_) => return None,
                Err(e) => return Some(Raw::Failed(io_error(&path, e))),
            }
        } else if !meta.is_file() {
            // a FIFO, socket or device in a folder: counted, never waited on
            *self
                .skipped
                .files
                .entry(special_kind(&meta).into())
                .or_default() += 1;
            return None;
        }
        if is_sidecar(&path) {
            return None; // read with the text files it describes
        }
        self.open_file(&path, false)
    }

    /// Something named on the command line that is neither a file nor a
    /// folder. A FIFO (or a pipe, as `<(zcat …)` gives) is read as a
    /// stream, but a named FIFO is waited on for a writer only
    /// [`FIFO_WAIT`] ([`open_fifo`]). Sockets and devices are refused.
    fn open_special(&mut self, path: &Path, meta: &fs::Metadata) -> Option<Raw> {
        let name = path_string(path);
        let kind = special_kind(meta);
        if kind != "FIFO" {
            return Some(Raw::Failed(IngestError::new(
                name,
                ErrorKind::NotAFile(kind),
            )));
        }
        let file = match open_fifo(path) {
            Ok(Some(f)) => f,
            Ok(None) => return Some(Raw::Failed(IngestError::new(name, ErrorKind::NoWriter))),
            Err(e) => return Some(Raw::Failed(io_error(path, e))),
        };
        let stem = file_stem(&name);
        self.open_stream_named(&name, &stem, Box::new(file))
    }

    /// Counts a file a walk passes over, of which `read` bytes were read
    /// (to tell its format).
    fn skip_file(&mut self, path: &Path, read: u64) {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let key = match name.rsplit_once('.') {
            Some((stem, ext)) if !stem.is_empty() => format!(".{}", ext.to_ascii_lowercase()),
            _ => "no extension".to_string(),
        };
        *self.skipped.files.entry(key).or_default() += 1;
        if let Ok(m) = fs::metadata(path) {
            let rest = m.len().saturating_sub(read);
            self.consumed.fetch_add(rest, Ordering::Relaxed);
        }
    }

    /// A file: one document now, or a reader of several (JSONL, CSV, WARC)
    /// whose items come from the next calls. `named_explicitly`: given on
    /// the command line (never skipped).
    fn open_file(&mut self, path: &Path, named_explicitly: bool) -> Option<Raw> {
        let stamp = Stamp::of(path);
        let item = self.open_file_once(path, named_explicitly);
        if self.current.is_some() {
            // a file of several documents: checked once all are read
            self.current_stamp = stamp.map(|s| (path.to_path_buf(), s));
            return item;
        }
        if stamp.is_none() || Stamp::of(path) == stamp {
            return item;
        }
        // rewritten while it was read: once more, then refused
        let consumed = self.consumed();
        let stamp = Stamp::of(path);
        let again = self.open_file_once(path, named_explicitly);
        // bytes read twice count once against the total
        let extra = self.consumed() - consumed;
        self.consumed
            .fetch_sub(extra.min(consumed), Ordering::Relaxed);
        if self.current.is_some() {
            self.current_stamp = stamp.map(|s| (path.to_path_buf(), s));
            return again;
        }
        if stamp.is_some() && Stamp::of(path) == stamp {
            again
        } else {
            Some(Raw::Failed(IngestError::new(
                path_string(path),
                ErrorKind::Changed,
            )))
        }
    }

    fn open_file_once(&mut self, path: &Path, named_explicitly: bool) -> Option<Raw> {
        let name = path_string(path);
        let before = self.consumed();
        let file = match File::open(path) {
            Ok(f) => Tally {
                inner: f,
                count: Arc::clone(&self.consumed),
            },
            Err(e) => return Some(Raw::Failed(io_error(path, e))),
        };
        // kept a file (seekable) for WARC archives; boxed for the rest
        let mut raw = BufReader::with_capacity(READ_BUFFER, file);
        let head = match peek(&mut raw) {
            Ok(h) => h.to_vec(),
            Err(e) => return Some(Raw::Failed(io_error(path, e))),
        };
        let compression = Compression::sniff(&head);
        let by_name = named(path);
        let kind = match by_name {
            Named::Unknown | Named::Text => {
                let content = decoded_head(&head, compression);
                match (sniffed(&content), by_name) {
                    (Some(Named::Warc), _) => Named::Warc,
                    (_, Named::Text) => Named::Text,
                    (Some(Named::Html), _) => Named::Html,
                    (Some(Named::Jsonl), _) if named_explicitly => Named::Jsonl,
                    _ if named_explicitly => Named::Text,
                    _ => {
                        let read = self.consumed() - before;
                        self.skip_file(path, read);
                        return None;
                    }
                }
            }
            Named::Html | Named::Jsonl | Named::Json | Named::Csv | Named::Tsv => {
                // a WARC named otherwise is still a WARC
                if sniffed(&decoded_head(&head, compression)) == Some(Named::Warc) {
                    Named::Warc
                } else {
                    by_name
                }
            }
            Named::Warc => Named::Warc,
        };
        if kind == Named::Warc {
            let reader = if compression == Compression::Gzip {
                WarcReader::gzip(name, Box::new(raw))
            } else {
                match decoded(Box::new(raw)) {
                    Ok((r, _)) => WarcReader::plain(name, r),
                    Err(e) => return Some(Raw::Failed(IngestError::new(name, read_error(e)))),
                }
            };
            self.current = Some(Multi::Warc(reader));
            return None;
        }
        let reader = match decoded(Box::new(raw)) {
            Ok((r, _)) => r,
            Err(e) => return Some(Raw::Failed(IngestError::new(name, read_error(e)))),
        };
        let stem = file_stem(&name);
        match kind {
            Named::Jsonl => self.start_jsonl(name, stem, reader),
            Named::Csv | Named::Tsv => {
                let tab = kind == Named::Tsv;
                let col = self.options.text_column.as_deref();
                self.current = Some(Multi::Csv(Box::new(CsvReader::new(
                    name, stem, reader, tab, col,
                ))));
                None
            }
            Named::Json => Some(read_json_file(&name, &stem, reader)),
            Named::Html => Some(read_whole(&name, reader).map_or_else(Raw::Failed, |bytes| {
                Raw::Html(crate::web::file_job(stem, &name, bytes, Format::Html, None))
            })),
            _ => Some(self.read_text(path, &name, &stem, reader)),
        }
    }

    fn start_jsonl(
        &mut self,
        name: String,
        stem: String,
        mut reader: Box<dyn BufRead + Send>,
    ) -> Option<Raw> {
        match peek(&mut reader) {
            // binary, unless it starts as JSON does: then a NUL byte is one
            // bad line, and the lines around it are read
            Ok(head)
                if head[..head.len().min(BINARY_SNIFF_BYTES)].contains(&0)
                    && !head
                        .strip_prefix(BOM.as_bytes())
                        .unwrap_or(head)
                        .trim_ascii_start()
                        .starts_with(b"{") =>
            {
                return Some(Raw::Failed(IngestError::new(name, ErrorKind::Binary)));
            }
            Ok(_) => {}
            Err(e) => return Some(Raw::Failed(IngestError::new(name, read_error(e)))),
        }
        self.current = Some(Multi::Jsonl(JsonlReader::new(name, stem, reader)));
        None
    }

    /// A plain-text file, with the metadata a file beside it or its name gives.
    fn read_text(
        &mut self,
        path: &Path,
        name: &str,
        stem: &str,
        reader: Box<dyn BufRead + Send>,
    ) -> Raw {
        let doc = read_whole(name, reader)
            .and_then(|bytes| decode(name, bytes))
            .and_then(|text| parse_text_file(stem, name, text));
        let mut doc = match doc {
            Ok(d) => d,
            Err(e) => return Raw::Failed(e),
        };
        if let Some(folder) = path.parent() {
            let mut errors = Vec::new();
            let sidecar = self.sidecars.for_folder(folder, &mut errors);
            self.pending.extend(errors);
            let file_name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if let Some(row) = sidecar
                .as_ref()
                .and_then(|s| s.get(strip_compression(&file_name)))
            {
                crate::sidecar::fill(&mut doc.meta, row);
            }
        }
        if doc.meta.date.is_none() {
            doc.meta.date = date_in_name(stem);
        }
        Raw::Ready(doc)
    }

    /// Stdin (or any stream), told by its first bytes: compressed or not,
    /// a WARC, JSONL (first non-space byte `{`), an HTML page, else one
    /// plain-text document with id `stdin`.
    pub(crate) fn open_stream(&mut self, input: Box<dyn Read + Send>) -> Option<Raw> {
        self.open_stream_named("-", "stdin", input)
    }

    /// [`Documents::open_stream`] for a stream with a name of its own (a
    /// FIFO named on the command line): `name` in errors and paths, `stem`
    /// for document ids.
    fn open_stream_named(
        &mut self,
        name: &str,
        stem: &str,
        input: Box<dyn Read + Send>,
    ) -> Option<Raw> {
        let raw: Box<dyn BufRead + Send> = Box::new(BufReader::with_capacity(READ_BUFFER, input));
        let (mut reader, _) = match decoded(raw) {
            Ok(r) => r,
            Err(e) => return Some(Raw::Failed(IngestError::new(name, read_error(e)))),
        };
        let mut prefix = Vec::new();
        // the first non-space bytes (a stream may start with much space)
        loop {
            let buf = match reader.fill_buf() {
                Ok(buf) => buf,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Some(Raw::Failed(IngestError::new(name, read_error(e)))),
            };
            if buf.is_empty() {
                break;
            }
            let skip = if prefix.is_empty() && buf.starts_with(BOM.as_bytes()) {
                BOM.len()
            } else {
                0
            };
            if buf[skip..].iter().any(|b| !b.is_ascii_whitespace()) {
                break;
            }
            let n = buf.len();
            prefix.extend_from_slice(buf);
            reader.consume(n);
            if prefix.len() as u64 > MAX_FILE_BYTES {
                break;
            }
        }
        let head = match reader.fill_buf() {
            Ok(b) => {
                let mut h = prefix.clone();
                h.extend_from_slice(&b[..b.len().min(1024)]);
                h
            }
            Err(e) => return Some(Raw::Failed(IngestError::new(name, read_error(e)))),
        };
        let rest: Box<dyn BufRead + Send> = Box::new(BufReader::with_capacity(
            READ_BUFFER,
            Cursor::new(prefix).chain(reader),
        ));
        match sniffed(head.trim_ascii_start()) {
            Some(Named::Warc) => {
                self.current = Some(Multi::Warc(WarcReader::plain(name.into(), rest)));
                None
            }
            Some(Named::Jsonl) => {
                self.current = Some(Multi::Jsonl(JsonlReader::new(
                    name.into(),
                    stem.into(),
                    rest,
                )));
                None
            }
            Some(Named::Html) => Some(read_whole(name, rest).map_or_else(Raw::Failed, |bytes| {
                Raw::Html(crate::web::file_job(
                    stem.into(),
                    name,
                    bytes,
                    Format::Html,
                    None,
                ))
            })),
            _ => Some(
                read_whole(name, rest)
                    .and_then(|bytes| decode(name, bytes))
                    .and_then(|text| parse_text_file(stem, name, text))
                    .map_or_else(Raw::Failed, Raw::Ready),
            ),
        }
    }
}

/// A file's size and modification time: if either differs after reading,
/// it was written to meanwhile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let m = fs::metadata(path).ok()?;
        Some(Stamp {
            len: m.len(),
            modified: m.modified().ok(),
        })
    }
}

/// What a thing that is not a regular file is, for messages.
fn special_kind(meta: &fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "FIFO";
        }
        if t.is_socket() {
            return "socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "device";
        }
    }
    let _ = meta;
    "special file"
}

/// How long a named FIFO may take to bring its first bytes (or to close)
/// before it is taken as one with no writer.
pub const FIFO_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Opens a FIFO without hanging on it: a plain open of a named FIFO blocks
/// until a writer comes, forever if none does. An anonymous pipe (what
/// `<(zcat …)` names) has its writer already and is opened as it is. A
/// named FIFO is opened without blocking and given [`FIFO_WAIT`] for its
/// writer's first bytes (or its end); then it is read blocking, as stdin is.
/// `None`: nothing came in time.
#[cfg(unix)]
fn open_fifo(path: &Path) -> io::Result<Option<File>> {
    use std::os::unix::fs::OpenOptionsExt;
    use std::os::unix::io::AsRawFd;
    let anonymous = fs::read_link(path)
        .ok()
        .and_then(|t| fs::read_link(&t).ok().or(Some(t)))
        .is_some_and(|t| t.to_string_lossy().starts_with("pipe:"));
    if anonymous {
        return File::open(path).map(Some);
    }
    let f = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    let fd = f.as_raw_fd();
    let mut pfd = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    let deadline = std::time::Instant::now() + FIFO_WAIT;
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return Ok(None);
        }
        // SAFETY: one pollfd that lives across the call.
        let n = unsafe { libc::poll(&mut pfd, 1, left.as_millis().min(i32::MAX as u128) as i32) };
        if n > 0 && pfd.revents & (libc::POLLIN | libc::POLLHUP | libc::POLLERR) != 0 {
            break;
        }
        if n < 0 {
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::Interrupted {
                return Err(e);
            }
        }
    }
    // SAFETY: fcntl on a descriptor this function owns; no memory is passed.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        if flags < 0 || libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK) < 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(Some(f))
}

#[cfg(not(unix))]
fn open_fifo(path: &Path) -> io::Result<Option<File>> {
    File::open(path).map(Some)
}

/// A metadata file that describes the text files beside it.
fn is_sidecar(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n == "metadata.tsv" || n == "metadata.csv")
}

/// All of a (decoded) stream, up to the size limit.
fn read_whole(name: &str, reader: impl Read) -> Result<Vec<u8>, IngestError> {
    let mut bytes = Vec::new();
    read_limited(reader, MAX_FILE_BYTES, &mut bytes)
        .map_err(|e| IngestError::new(name, read_error(e)))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(IngestError::new(
            name,
            ErrorKind::TooLarge(bytes.len() as u64),
        ));
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(IngestError::new(name, ErrorKind::Empty));
    }
    Ok(bytes)
}

/// Checks a whole file's bytes and decodes them as UTF-8 text.
fn decode(path: &str, bytes: Vec<u8>) -> Result<String, IngestError> {
    if bytes[..bytes.len().min(BINARY_SNIFF_BYTES)].contains(&0) {
        return Err(IngestError::new(path, ErrorKind::Binary));
    }
    String::from_utf8(bytes).map_err(|e| {
        let byte_offset = e.utf8_error().valid_up_to();
        IngestError::new(path, ErrorKind::InvalidUtf8 { byte_offset })
    })
}

/// A `.json` file: one article object (news-please writes one per file).
fn read_json_file(name: &str, stem: &str, reader: impl Read) -> Raw {
    let text = match read_whole(name, reader).and_then(|b| decode(name, b)) {
        Ok(t) => t,
        Err(e) => return Raw::Failed(e),
    };
    let err = |kind| Raw::Failed(IngestError::new(name, kind));
    let value: serde_json::Value = match serde_json::from_str(text.trim_start_matches(BOM)) {
        Ok(v) => v,
        Err(e) => return err(ErrorKind::Json(crate::jsonl::json_message(&e))),
    };
    let serde_json::Value::Object(obj) = value else {
        return err(ErrorKind::Json(
            "expected one JSON object (an article); for many articles, write one object per line (.jsonl)".into(),
        ));
    };
    let origin = crate::fields::origin(name, None, Format::Json);
    crate::jsonl::record_fields(obj)
        .and_then(|f| f.into_raw(origin, || stem.to_string()))
        .unwrap_or_else(err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::{create_dir_all, write};

    const SEED_000: &str = include_str!("../../../examples/000_e8348c9c7b4e2da3.txt");

    fn summary(items: &[Result<Document, IngestError>]) -> Vec<String> {
        items
            .iter()
            .map(|r| match r {
                Ok(d) => format!("ok {} {}", d.id, d.path),
                Err(e) => format!("err {e}"),
            })
            .collect()
    }

    #[test]
    fn directory_walk_order_and_errors() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("corpus");
        create_dir_all(root.join("b_sub/deeper")).unwrap();
        create_dir_all(root.join(".hidden_dir")).unwrap();
        write(root.join("c.txt"), "Headline C\nText C.").unwrap();
        write(root.join("a.txt"), "Headline A\nText A.").unwrap();
        write(root.join("b_sub/z.txt"), "Z\nText.").unwrap();
        write(root.join("b_sub/deeper/y.txt"), "Y\nText.").unwrap();
        write(root.join("b_bad.txt"), [0x66, 0x6f, 0xff, 0x6f]).unwrap();
        write(root.join("b_empty.txt"), " \n\n").unwrap();
        write(
            root.join("d.jsonl"),
            "{\"text\": \"one\"}\n\n{bad\n{\"id\": \"k\", \"text\": \"three\"}\n",
        )
        .unwrap();
        write(root.join("e.md"), "skipped").unwrap();
        write(root.join(".hidden.txt"), "skipped").unwrap();
        write(root.join(".hidden_dir/x.txt"), "skipped").unwrap();
        write(root.join("f.NDJSON"), "{\"text\": \"nd\"}").unwrap();
        write(root.join("g.txt"), SEED_000).unwrap();
        let md = tmp.path().join("notes.md");
        write(&md, "Explicit\nfile is read.").unwrap();

        let r = root.to_string_lossy().into_owned();
        let items: Vec<_> = read_paths(&[root.clone(), md.clone()]).collect();
        let p = |s: &str| format!("{r}/{s}");
        assert_eq!(
            summary(&items),
            vec![
                format!("ok a {}", p("a.txt")),
                format!("err {}: invalid UTF-8 at byte 2", p("b_bad.txt")),
                format!("err {}: empty file", p("b_empty.txt")),
                format!("ok y {}", p("b_sub/deeper/y.txt")),
                format!("ok z {}", p("b_sub/z.txt")),
                format!("ok c {}", p("c.txt")),
                format!("ok d:1 {}:1", p("d.jsonl")),
                format!(
                    "err {}:3: invalid JSON: key must be a string at column 2",
                    p("d.jsonl")
                ),
                format!("ok k {}:4", p("d.jsonl")),
                format!("ok f:1 {}:1", p("f.NDJSON")),
                format!("ok g {}", p("g.txt")),
                format!("ok notes {}", md.to_string_lossy()),
            ]
        );
        let g = items[10].as_ref().unwrap();
        assert_eq!(g.meta.editor.as_deref(), Some("Dmitry Sudakov"));
    }

    #[test]
    fn file_errors() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let bin = dir.join("bin.txt");
        write(&bin, b"abc\0\x01\x02").unwrap();
        let empty = dir.join("empty.txt");
        write(&empty, "").unwrap();
        let utf8 = dir.join("bad.txt");
        write(&utf8, b"Head\nline \xe2\x80 x").unwrap();
        let date = dir.join("date.txt");
        write(&date, " date 2025-13-45 World Russia\nHeadline\nText.").unwrap();
        let big = dir.join("big.txt");
        File::create(&big)
            .unwrap()
            .set_len(MAX_FILE_BYTES + 1)
            .unwrap();
        let missing = dir.join("missing.txt");
        let bin_jsonl = dir.join("bin.jsonl");
        write(&bin_jsonl, b"{\"text\": \"a\0\"}").unwrap();
        let empty_jsonl = dir.join("empty.jsonl");
        write(&empty_jsonl, "\n\n").unwrap();
        let good = dir.join("good.txt");
        write(&good, "Fine\nText.").unwrap();

        let paths = [
            bin,
            empty,
            utf8,
            date,
            big,
            missing,
            bin_jsonl,
            empty_jsonl,
            good,
        ];
        let items: Vec<_> = read_paths(&paths).collect();
        assert_eq!(items.len(), paths.len());
        let kinds: Vec<_> = items
            .iter()
            .map(|r| r.as_ref().err().map(|e| &e.kind))
            .collect();
        assert!(matches!(kinds[0], Some(ErrorKind::Binary)));
        assert!(matches!(kinds[1], Some(ErrorKind::Empty)));
        assert!(matches!(
            kinds[2],
            Some(ErrorKind::InvalidUtf8 { byte_offset: 10 })
        ));
        assert!(matches!(kinds[3], Some(ErrorKind::BadDate(d)) if d == "2025-13-45"));
        assert!(matches!(kinds[4], Some(ErrorKind::TooLarge(n)) if *n == MAX_FILE_BYTES + 1));
        assert!(matches!(kinds[5], Some(ErrorKind::Io(_))));
        // a NUL in a JSONL line that starts as JSON: that line fails, not the file
        assert!(
            matches!(kinds[6], Some(ErrorKind::Json(m)) if m.contains("control character")),
            "{:?}",
            kinds[6]
        );
        assert!(matches!(kinds[7], Some(ErrorKind::Empty)));
        assert!(items[8].is_ok());
        for (i, (item, path)) in items.iter().zip(&paths).take(8).enumerate() {
            let e = item.as_ref().unwrap_err();
            assert_eq!(e.path, path.to_string_lossy());
            // the JSONL error is of its line 1
            assert_eq!(e.line, (i == 6).then_some(1));
        }
        let msg = |i: usize| items[i].as_ref().unwrap_err().to_string();
        assert!(msg(0).ends_with(": binary file, not text"));
        assert!(msg(1).ends_with(": empty file"));
        assert!(msg(3).contains(": malformed date \"2025-13-45\""));
        assert!(msg(4).contains(": too large"));
    }

    #[test]
    fn bom_file() {
        let tmp = tempfile::tempdir().unwrap();
        let f = tmp.path().join("bom.txt");
        write(&f, "\u{feff}Headline\nText.").unwrap();
        let docs: Vec<_> = read_paths(&[f]).collect();
        let d = docs[0].as_ref().unwrap();
        assert!(d.text.starts_with('\u{feff}'));
        assert_eq!(d.meta.title.as_deref(), Some("Headline"));
        assert_eq!(d.body[0].text(&d.text), "Headline\nText.");
    }

    fn stream(input: &[u8]) -> Vec<Result<Document, IngestError>> {
        let mut docs = read_paths(&[]);
        let mut out: Vec<_> = docs
            .open_stream(Box::new(Cursor::new(input.to_vec())))
            .into_iter()
            .map(finish)
            .collect();
        out.extend(docs);
        out
    }

    #[test]
    fn stdin_detection() {
        let out = stream(b"  \n {\"text\": \"a\"}\n{\"text\": \"b\", \"id\": \"B\"}\n");
        assert_eq!(summary(&out), vec!["ok stdin:2 -:2", "ok B -:3"]);

        let out = stream(b"\xef\xbb\xbf{\"text\": \"a\"}\n");
        assert_eq!(summary(&out), vec!["ok stdin:1 -:1"]);

        let out = stream(b"\n\nHeadline\nText said.\n");
        assert_eq!(summary(&out), vec!["ok stdin -"]);
        let d = out[0].as_ref().unwrap();
        assert_eq!(d.text, "\n\nHeadline\nText said.\n");
        assert_eq!(d.meta.title, None);

        let out = stream(b" date 2025-11-12 World\nHeadline\nText.");
        assert_eq!(
            out[0].as_ref().unwrap().meta.title.as_deref(),
            Some("Headline")
        );

        assert_eq!(summary(&stream(b"")), vec!["err -: empty file"]);
        assert_eq!(summary(&stream(b"   \n")), vec!["err -: empty file"]);
        assert_eq!(
            summary(&stream(b"a\0b")),
            vec!["err -: binary file, not text"]
        );
    }

    #[test]
    fn missing_path_does_not_stop_stream() {
        let tmp = tempfile::tempdir().unwrap();
        let good = tmp.path().join("good.txt");
        write(&good, "Fine\nText.").unwrap();
        let items: Vec<_> = read_paths(&[tmp.path().join("nope"), good]).collect();
        assert!(items[0].is_err());
        assert_eq!(items[1].as_ref().unwrap().id, "good");
    }

    #[test]
    fn documents_is_send() {
        fn assert_send<T: Send>(_: &T) {}
        assert_send(&read_paths(&[]));
    }

    fn gz(data: &[u8]) -> Vec<u8> {
        crate::warc::tests::gz(data)
    }

    #[test]
    fn every_format_in_one_walk() {
        use crate::warc::tests::{response, PAGE};
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("news");
        create_dir_all(root.join("text")).unwrap();
        write(
            root.join("metadata.tsv"),
            "filename\tpublisher\tpublication_date\ntext/x\tno\t2000-01-01\nnyt_2016-09-08_a\tnyt\t2016-09-09\n",
        )
        .unwrap();
        write(
            root.join("text/nyt_2016-09-08_a.txt"),
            "Headline\n\nHe said so.",
        )
        .unwrap();
        write(
            root.join("text/wp_2016-10-01_b.txt"),
            "Headline\n\nShe said so.",
        )
        .unwrap();
        write(root.join("a_page.html"), PAGE).unwrap();
        write(root.join("b_saved_page"), PAGE).unwrap(); // no extension: sniffed
        write(root.join("c.csv"), "title,text\nT,\"A, quoted\nfield.\"\n").unwrap();
        write(
            root.join("d.json"),
            r#"{"maintext": "News-please text.", "title": "NP", "date_publish": "2017-02-05 16:26:01",
               "source_domain": "example.com", "authors": ["A B"], "language": "en", "url": "http://example.com/np"}"#,
        )
        .unwrap();
        write(
            root.join("e.jsonl.gz"),
            gz(b"{\"id\": \"z\", \"text\": \"Gzipped line.\"}\n"),
        )
        .unwrap();
        write(
            root.join("f.warc.gz"),
            gz(&response("http://example.com/w", "text/html", PAGE)),
        )
        .unwrap();
        write(
            root.join("g.txt.zst"),
            zstd::encode_all(&b"Zstd headline\n\nText."[..], 3).unwrap(),
        )
        .unwrap();
        write(root.join("h.pdf"), b"%PDF-1.4 binary").unwrap();
        write(root.join("i.png"), b"\x89PNG").unwrap();
        write(root.join("j.PNG"), b"\x89PNG").unwrap();
        write(root.join("k"), b"no extension, not html").unwrap();

        let mut docs = read_paths(std::slice::from_ref(&root));
        let items: Vec<_> = docs.by_ref().collect();
        let r = root.to_string_lossy().into_owned();
        let ok: Vec<&Document> = items.iter().map(|i| i.as_ref().unwrap()).collect();
        let ids: Vec<&str> = ok.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "a_page",
                "b_saved_page",
                "c:2",
                "d",
                "z",
                "00000014-0000-0000-0000-000000000000",
                "g",
                "nyt_2016-09-08_a",
                "wp_2016-10-01_b"
            ]
        );
        let fmt: Vec<Format> = ok.iter().map(|d| d.origin.format).collect();
        use Format::*;
        assert_eq!(fmt, [Html, Html, Csv, Json, Jsonl, Warc, Text, Text, Text]);
        // web pages carry their extracted text, without markup
        for d in &ok[..2] {
            assert!(
                d.origin.from_html && d.text.starts_with("The minister said"),
                "{}",
                d.text
            );
            assert_eq!(d.meta.title.as_deref(), Some("T"));
            assert_eq!(d.meta.language.as_deref(), Some("en"));
        }
        assert_eq!(ok[2].text, "A, quoted\nfield.");
        assert_eq!(ok[2].path, format!("{r}/c.csv:2"));
        let np = &ok[3].meta;
        assert_eq!(ok[3].text, "News-please text.");
        assert_eq!(
            (np.date.as_deref(), np.outlet.as_deref(), np.url.as_deref()),
            (
                Some("2017-02-05"),
                Some("example.com"),
                Some("http://example.com/np")
            )
        );
        assert_eq!(ok[4].path, format!("{r}/e.jsonl.gz:1"));
        let w = ok[5];
        assert_eq!(w.path, format!("{r}/f.warc.gz@0"));
        assert_eq!(w.meta.url.as_deref(), Some("http://example.com/w"));
        assert_eq!(w.meta.crawled.as_deref(), Some("2025-11-13"));
        assert_eq!(w.meta.outlet.as_deref(), Some("example.com"));
        assert_eq!(ok[6].meta.title.as_deref(), Some("Zstd headline"));
        // metadata.tsv one folder up, keyed by file name; else the date in the name
        assert_eq!(ok[7].meta.date.as_deref(), Some("2016-09-09"));
        assert_eq!(ok[7].meta.outlet.as_deref(), Some("nyt"));
        assert_eq!(ok[8].meta.date.as_deref(), Some("2016-10-01"));
        assert_eq!(ok[8].meta.outlet, None);
        // the rest was counted, not dropped in silence
        let skipped = docs.skipped();
        let files: Vec<(&str, u64)> = skipped
            .files
            .iter()
            .map(|(k, n)| (k.as_str(), *n))
            .collect();
        assert_eq!(files, [(".pdf", 1), (".png", 2), ("no extension", 1)]);
        assert_eq!(
            skipped.to_string(),
            "skipped 4 files (1 .pdf, 2 .png, 1 no extension)"
        );
        let mut warc = Skipped::default();
        warc.records.insert("request records".into(), 1);
        warc.records.insert("HTTP 404 responses".into(), 2);
        warc.records.insert("br-encoded responses".into(), 1);
        assert_eq!(
            warc.to_string(),
            "skipped 4 WARC records (2 HTTP 404 responses, 1 br-encoded response, 1 request record)"
        );
        // progress: every byte walked over is read or passed over, once
        let total = input_size(std::slice::from_ref(&root));
        assert!(total > 1000, "{total}");
        assert_eq!(docs.consumed(), total);
    }

    #[test]
    fn named_files_are_never_skipped() {
        let tmp = tempfile::tempdir().unwrap();
        let pdf = tmp.path().join("x.pdf");
        write(&pdf, b"%PDF-1.4\n\0\0binary").unwrap();
        let odd = tmp.path().join("notes.md");
        write(&odd, "Headline\n\nPlain prose.").unwrap();
        let mut docs = read_paths(&[pdf, odd]);
        let items: Vec<_> = docs.by_ref().collect();
        assert!(matches!(
            items[0].as_ref().unwrap_err().kind,
            ErrorKind::Binary
        ));
        assert_eq!(items[1].as_ref().unwrap().origin.format, Format::Text);
        assert!(docs.skipped().is_empty());
    }

    #[test]
    fn compressed_files_cut_short_are_errors() {
        let tmp = tempfile::tempdir().unwrap();
        let lines: String = (0..3000u64)
            .map(|i| format!("{{\"text\": \"line {} of {}\"}}\n", i * 7919 % 10007, i))
            .collect();
        let whole = gz(lines.as_bytes());
        let p = tmp.path().join("cut.jsonl.gz");
        write(&p, &whole[..whole.len() / 2]).unwrap();
        let t = tmp.path().join("cut.txt.gz");
        write(&t, &whole[..whole.len() / 2]).unwrap();
        let items: Vec<_> = read_paths(&[p, t]).collect();
        let errors: Vec<String> = items
            .iter()
            .filter_map(|i| i.as_ref().err())
            .map(|e| e.to_string())
            .collect();
        assert_eq!(errors.len(), 2, "{errors:?}");
        for e in &errors {
            assert!(e.contains("gzip data is corrupt or cut short"), "{e}");
        }
        // the lines before the cut were read
        assert!(items.iter().filter(|i| i.is_ok()).count() > 5);
    }

    #[test]
    fn stdin_formats() {
        let out = stream(&gz(b"{\"text\": \"zipped\"}\n"));
        assert_eq!(summary(&out), vec!["ok stdin:1 -:1"]);
        let out = stream(crate::warc::tests::PAGE);
        let d = out[0].as_ref().unwrap();
        assert!(d.origin.from_html && d.text.starts_with("The minister said"));
    }
}
