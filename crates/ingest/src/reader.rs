//! Streaming over paths: files, directory walks, stdin.

use std::collections::VecDeque;
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};

use onrecord_core::Document;

use crate::jsonl::JsonlReader;
use crate::{parse_text_file, ErrorKind, IngestError, BINARY_SNIFF_BYTES, BOM, MAX_FILE_BYTES};

const READ_BUFFER: usize = 64 * 1024;

/// Streams documents from the given paths, in a deterministic order: each path in order; directories walked recursively with entries sorted by name; hidden files (starting with '.') skipped. "-" reads stdin (JSONL if its first non-space byte is '{', else one plain-text document with id "stdin").
///
/// Files named `*.jsonl` / `*.ndjson` are read line by line, one document
/// per non-blank line; other files are one plain-text document each (see
/// [`parse_text_file`]). A directory walk takes only `.txt`, `.jsonl` and
/// `.ndjson` files and does not follow symbolic links to directories; a
/// file named explicitly is always read. Nothing is read before it is
/// asked for. Each unreadable file or line is one `Err` item and the
/// stream goes on.
pub fn read_paths(paths: &[PathBuf]) -> Documents {
    Documents {
        queue: paths.iter().cloned().collect(),
        walk: Vec::new(),
        jsonl: None,
    }
}

/// The iterator returned by [`read_paths`].
pub struct Documents {
    queue: VecDeque<PathBuf>,
    /// One entry per directory being walked: its remaining sorted entries.
    walk: Vec<std::vec::IntoIter<PathBuf>>,
    jsonl: Option<JsonlReader>,
}

impl Iterator for Documents {
    type Item = Result<Document, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(lines) = self.jsonl.as_mut() {
                match lines.next() {
                    Some(item) => return Some(item),
                    None => self.jsonl = None,
                }
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
                    Err(e) => Some(Err(io_error(&path, e))),
                    Ok(m) if m.is_dir() => self.push_dir(&path).err().map(Err),
                    Ok(_) => self.open_file(&path),
                }
            };
            if let Some(item) = item {
                return Some(item);
            }
        }
    }
}

fn path_string(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map_or_else(|| path_string(path), |s| s.to_string_lossy().into_owned())
}

fn io_error(path: &Path, e: io::Error) -> IngestError {
    IngestError::new(path_string(path), ErrorKind::Io(e))
}

fn extension(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

fn is_jsonl(path: &Path) -> bool {
    matches!(extension(path).as_str(), "jsonl" | "ndjson")
}

fn is_walked(path: &Path) -> bool {
    matches!(extension(path).as_str(), "txt" | "jsonl" | "ndjson")
}

/// Checks a whole file's bytes and decodes them.
fn decode(path: &str, bytes: Vec<u8>) -> Result<String, IngestError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(IngestError::new(
            path,
            ErrorKind::TooLarge(bytes.len() as u64),
        ));
    }
    if bytes[..bytes.len().min(BINARY_SNIFF_BYTES)].contains(&0) {
        return Err(IngestError::new(path, ErrorKind::Binary));
    }
    String::from_utf8(bytes).map_err(|e| {
        let byte_offset = e.utf8_error().valid_up_to();
        IngestError::new(path, ErrorKind::InvalidUtf8 { byte_offset })
    })
}

/// Reads at most `MAX_FILE_BYTES + 1` bytes (one more tells "too large").
fn read_limited(reader: impl Read, into: &mut Vec<u8>) -> io::Result<()> {
    reader
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(into)
        .map(|_| ())
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
    fn walk_entry(&mut self, path: PathBuf) -> Option<Result<Document, IngestError>> {
        let meta = match fs::symlink_metadata(&path) {
            Ok(m) => m,
            Err(e) => return Some(Err(io_error(&path, e))),
        };
        if meta.is_dir() {
            return self.push_dir(&path).err().map(Err);
        }
        if !is_walked(&path) {
            return None;
        }
        if meta.file_type().is_symlink() {
            // Follow links to files only (no cycles through directories).
            match fs::metadata(&path) {
                Ok(m) if m.is_file() => {}
                Ok(_) => return None,
                Err(e) => return Some(Err(io_error(&path, e))),
            }
        } else if !meta.is_file() {
            return None;
        }
        self.open_file(&path)
    }

    /// A file: plain text now, or JSONL lines from the next call on.
    fn open_file(&mut self, path: &Path) -> Option<Result<Document, IngestError>> {
        if is_jsonl(path) {
            match open_jsonl(path) {
                Ok(lines) => {
                    self.jsonl = Some(lines);
                    None
                }
                Err(e) => Some(Err(e)),
            }
        } else {
            Some(read_text_file(path))
        }
    }

    /// Stdin (or any stream): JSONL if the first non-space byte is `{`,
    /// else one plain-text document with id `stdin`.
    pub(crate) fn open_stream(
        &mut self,
        input: Box<dyn Read + Send>,
    ) -> Option<Result<Document, IngestError>> {
        let mut reader = BufReader::with_capacity(READ_BUFFER, input);
        let mut prefix = Vec::new();
        let first = loop {
            let buf = match reader.fill_buf() {
                Ok(buf) => buf,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Some(Err(IngestError::new("-", ErrorKind::Io(e)))),
            };
            if buf.is_empty() {
                break None;
            }
            let skip = if prefix.is_empty() && buf.starts_with(BOM.as_bytes()) {
                BOM.len()
            } else {
                0
            };
            if let Some(i) = buf[skip..].iter().position(|b| !b.is_ascii_whitespace()) {
                break Some(buf[skip + i]);
            }
            let n = buf.len();
            prefix.extend_from_slice(buf);
            reader.consume(n);
            if prefix.len() as u64 > MAX_FILE_BYTES {
                break None;
            }
        };
        let rest = Cursor::new(prefix).chain(reader);
        if first == Some(b'{') {
            let lines = BufReader::with_capacity(READ_BUFFER, rest);
            self.jsonl = Some(JsonlReader::new(
                "-".into(),
                "stdin".into(),
                Box::new(lines),
            ));
            return None;
        }
        let mut bytes = Vec::new();
        if let Err(e) = read_limited(rest, &mut bytes) {
            return Some(Err(IngestError::new("-", ErrorKind::Io(e))));
        }
        Some(decode("-", bytes).and_then(|text| parse_text_file("stdin", "-", text)))
    }
}

fn read_text_file(path: &Path) -> Result<Document, IngestError> {
    let name = path_string(path);
    let file = File::open(path).map_err(|e| io_error(path, e))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len > MAX_FILE_BYTES {
        return Err(IngestError::new(name, ErrorKind::TooLarge(len)));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    read_limited(file, &mut bytes).map_err(|e| io_error(path, e))?;
    let text = decode(&name, bytes)?;
    parse_text_file(&stem(path), &name, text)
}

fn open_jsonl(path: &Path) -> Result<JsonlReader, IngestError> {
    let file = File::open(path).map_err(|e| io_error(path, e))?;
    let mut reader = BufReader::with_capacity(READ_BUFFER, file);
    let head = reader.fill_buf().map_err(|e| io_error(path, e))?;
    if head[..head.len().min(BINARY_SNIFF_BYTES)].contains(&0) {
        return Err(IngestError::new(path_string(path), ErrorKind::Binary));
    }
    Ok(JsonlReader::new(
        path_string(path),
        stem(path),
        Box::new(reader),
    ))
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
                    "err {}:3: invalid JSON: key must be a string at line 1 column 2",
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
        assert!(matches!(kinds[6], Some(ErrorKind::Binary)));
        assert!(matches!(kinds[7], Some(ErrorKind::Empty)));
        assert!(items[8].is_ok());
        for (item, path) in items.iter().zip(&paths).take(8) {
            let e = item.as_ref().unwrap_err();
            assert_eq!(e.path, path.to_string_lossy());
            assert_eq!(e.line, None);
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
}
