//! WARC archives (`.warc`, `.warc.gz` with one gzip member per record or
//! one for the whole file, and `.warc` inside zstd or bzip2): response
//! records streamed one at a time, their HTTP head parsed, HTML payloads
//! handed on as pages; every other record is skipped and counted.
//!
//! The framing is written here rather than taken from the `warc` crate
//! (0.4): that crate reads a record body line by line, keeps no record
//! offsets and cannot go on after a broken record, and a crawl of a decade
//! has broken records. A `.warc.gz` record that cannot be read gives one
//! error naming the byte offset of its gzip member, and reading goes on at
//! the next member; a plain `.warc` goes on at the next `WARC/1.x` line.

use std::collections::BTreeMap;
use std::io::{self, BufRead, BufReader, Read};

use onrecord_core::{Format, Metadata, Position};

use crate::fields::{date_part, HtmlJob, Raw};
use crate::open::{Counting, ReadSeek, READ_BUFFER};
use crate::{ErrorKind, IngestError, MAX_FILE_BYTES};

/// The longest WARC or HTTP header block read (bytes).
const MAX_HEAD: u64 = 256 * 1024;
/// Records longer than this are skipped (and reported), never buffered.
const MAX_RECORD: u64 = MAX_FILE_BYTES;

/// Where the records come from.
enum Source {
    /// A gzip-compressed WARC between members: the raw file.
    Gz(RawFile),
    /// Inside one gzip member (which may hold several records).
    Member {
        dec: Box<Member>,
        start: u64,
    },
    /// An uncompressed WARC (or one decoded by another codec: offsets then
    /// count decoded bytes).
    Plain(Counting<Box<dyn BufRead + Send>>),
    Done,
}

/// Yields one item per response record with an HTML payload (a page to
/// extract, or an error); counts the rest in `skipped`.
pub(crate) struct WarcReader {
    path: String,
    src: Source,
    /// Records not read as articles, by reason ("request records",
    /// "HTTP 404", "application/pdf").
    pub(crate) skipped: BTreeMap<String, u64>,
    /// After an error in a `.warc.gz`, candidate members that fail at once
    /// are part of the same damage: not reported again.
    resyncing: bool,
    records: u64,
}

impl WarcReader {
    /// `raw`: the file's compressed bytes, from its start.
    pub(crate) fn gzip(path: String, raw: Box<dyn ReadSeek>) -> Self {
        WarcReader::with(
            path,
            Source::Gz(Counting::new(BufReader::with_capacity(READ_BUFFER, raw))),
        )
    }

    /// `reader`: the WARC's bytes, uncompressed.
    pub(crate) fn plain(path: String, reader: Box<dyn BufRead + Send>) -> Self {
        WarcReader::with(path, Source::Plain(Counting::new(reader)))
    }

    fn with(path: String, src: Source) -> Self {
        WarcReader {
            path,
            src,
            skipped: BTreeMap::new(),
            resyncing: false,
            records: 0,
        }
    }

    fn skip(&mut self, why: String) {
        *self.skipped.entry(why).or_default() += 1;
    }

    fn error(&self, offset: u64, kind: ErrorKind) -> IngestError {
        IngestError::at_offset(self.path.clone(), offset, kind)
    }
}

/// A record's WARC header fields that matter here.
#[derive(Default, Debug)]
struct Head {
    kind: String,
    target: Option<String>,
    date: Option<String>,
    id: Option<String>,
    content_type: Option<String>,
    length: u64,
}

/// What reading one record gave.
enum Read1 {
    /// The stream (or gzip member) has no more records.
    End,
    Record(Head, Option<Vec<u8>>),
}

/// Reads a line of at most `MAX_HEAD` bytes (with its `\n`) into `buf`.
fn read_line(r: &mut impl BufRead, buf: &mut Vec<u8>) -> io::Result<usize> {
    buf.clear();
    let n = r.by_ref().take(MAX_HEAD).read_until(b'\n', buf)?;
    if n as u64 == MAX_HEAD && buf.last() != Some(&b'\n') {
        return Err(bad("header line too long"));
    }
    Ok(n)
}

/// A record that breaks the WARC format (as opposed to bytes that cannot
/// be read or decompressed).
#[derive(Debug)]
struct FormatError(String);

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FormatError {}

fn bad(msg: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, FormatError(msg.into()))
}

fn is_format_error(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<FormatError>())
}

/// Reads one record: its header block and, for a response or resource
/// record of a readable size, its body (other bodies are skipped).
fn read_record(r: &mut impl BufRead) -> io::Result<Read1> {
    let mut line = Vec::new();
    // blank lines between records
    loop {
        if read_line(r, &mut line)? == 0 {
            return Ok(Read1::End);
        }
        if !line.iter().all(u8::is_ascii_whitespace) {
            break;
        }
    }
    if !line.starts_with(b"WARC/") {
        let shown = String::from_utf8_lossy(&line[..line.len().min(40)])
            .trim_end()
            .to_string();
        return Err(bad(format!(
            "expected a WARC/1.x version line, found {shown:?}"
        )));
    }
    let mut head = Head::default();
    let mut length = None;
    let mut total = line.len() as u64;
    loop {
        let n = read_line(r, &mut line)?;
        if n == 0 {
            return Err(bad("cut short in its header"));
        }
        total += n as u64;
        if total > MAX_HEAD {
            return Err(bad("header block too long"));
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            break;
        }
        let Some((name, value)) = text.split_once(':') else {
            continue; // a continuation or junk line: not a field that matters
        };
        let value = value.trim().to_string();
        match name.trim().to_ascii_lowercase().as_str() {
            "warc-type" => head.kind = value.to_ascii_lowercase(),
            "warc-target-uri" => head.target = Some(value.trim_matches(['<', '>']).to_string()),
            "warc-date" => head.date = date_part(&value),
            "warc-record-id" => head.id = Some(value),
            "content-type" => head.content_type = Some(value),
            "content-length" => {
                length = Some(
                    value
                        .parse::<u64>()
                        .map_err(|_| bad(format!("bad Content-Length {value:?}")))?,
                )
            }
            _ => {}
        }
    }
    head.length = length.ok_or_else(|| bad("no Content-Length"))?;
    let wanted = matches!(head.kind.as_str(), "response" | "resource") && head.length <= MAX_RECORD;
    let body = if wanted {
        let mut body = Vec::with_capacity(head.length.min(1 << 20) as usize);
        r.by_ref().take(head.length).read_to_end(&mut body)?;
        if (body.len() as u64) < head.length {
            return Err(bad(format!(
                "cut short: {} of its {} bytes",
                body.len(),
                head.length
            )));
        }
        Some(body)
    } else {
        let n = io::copy(&mut r.by_ref().take(head.length), &mut io::sink())?;
        if n < head.length {
            return Err(bad(format!("cut short: {n} of its {} bytes", head.length)));
        }
        None
    };
    // the CRLF CRLF after the block, leniently; anything else means the
    // Content-Length is wrong and the block is not the record's (a length
    // too long takes in the next record, one too short leaves part behind)
    let mut ends = false;
    for _ in 0..4 {
        match r.fill_buf()?.first() {
            Some(b'\r' | b'\n') => {
                r.consume(1);
                ends = true;
            }
            None | Some(b'W') => {
                ends = true;
                break;
            }
            _ => break,
        }
    }
    if !ends {
        return Err(bad(format!(
            "its Content-Length ({}) does not end the record: no blank line after its block",
            head.length
        )));
    }
    Ok(Read1::Record(head, body))
}

impl Iterator for WarcReader {
    type Item = Raw;

    fn next(&mut self) -> Option<Raw> {
        loop {
            let (result, offset) = match &mut self.src {
                Source::Done => return None,
                Source::Plain(r) => {
                    let at = r.pos;
                    (read_record(r), at)
                }
                Source::Gz(raw) => {
                    let start = raw.pos;
                    match raw.fill_buf() {
                        Ok([]) => {
                            self.src = Source::Done;
                            return None;
                        }
                        Ok(_) => {}
                        Err(e) => {
                            self.src = Source::Done;
                            return Some(Raw::Failed(
                                self.error(start, crate::reader::read_error(e)),
                            ));
                        }
                    }
                    let Source::Gz(raw) = std::mem::replace(&mut self.src, Source::Done) else {
                        unreachable!("matched above")
                    };
                    let dec = flate2::bufread::GzDecoder::new(raw);
                    self.src = Source::Member {
                        dec: Box::new(Counting::new(BufReader::with_capacity(READ_BUFFER, dec))),
                        start,
                    };
                    continue;
                }
                Source::Member { dec, start } => {
                    let start = *start;
                    let r = read_record(dec);
                    if matches!(r, Ok(Read1::End)) {
                        // the member is done: back to the raw file after it
                        let Source::Member { dec, .. } =
                            std::mem::replace(&mut self.src, Source::Done)
                        else {
                            unreachable!("matched above")
                        };
                        self.src = Source::Gz(dec_into_raw(dec));
                        self.resyncing = false;
                        continue;
                    }
                    (r, start)
                }
            };
            match result {
                Ok(Read1::End) => {
                    self.src = Source::Done;
                    if self.records == 0 {
                        return Some(Raw::Failed(IngestError::new(
                            self.path.clone(),
                            ErrorKind::Empty,
                        )));
                    }
                    return None;
                }
                Ok(Read1::Record(head, body)) => {
                    self.records += 1;
                    self.resyncing = false;
                    match self.page(head, body, offset) {
                        Some(item) => return Some(item),
                        None => continue,
                    }
                }
                Err(e) => {
                    self.records += 1;
                    let first = !self.resyncing;
                    let in_member = matches!(self.src, Source::Member { .. });
                    if in_member && is_format_error(&e) {
                        self.resync_in_member();
                    } else {
                        self.resync();
                    }
                    if first {
                        let kind = if in_member && !is_format_error(&e) {
                            ErrorKind::Warc(format!("gzip member is corrupt or cut short ({e})"))
                        } else {
                            ErrorKind::Warc(e.to_string())
                        };
                        return Some(Raw::Failed(self.error(offset, kind)));
                    }
                }
            }
        }
    }
}

/// A `.warc.gz` file, counting the bytes consumed (offsets of members).
type RawFile = Counting<BufReader<Box<dyn ReadSeek>>>;

type Member = Counting<BufReader<flate2::bufread::GzDecoder<RawFile>>>;

/// The raw file under a member's decoder, positioned after what the
/// decoder consumed. The buffer over the decoder is dropped: it is empty
/// at the member's end, and its contents are abandoned after damage.
fn dec_into_raw(dec: Box<Member>) -> RawFile {
    (*dec).into_inner().into_inner().into_inner()
}

impl WarcReader {
    /// After a broken record: on to the next gzip member (a `1f 8b 08`
    /// signature), or the next `WARC/` line in a plain file.
    fn resync(&mut self) {
        let again = self.resyncing;
        self.resyncing = true;
        let src = std::mem::replace(&mut self.src, Source::Done);
        self.src = match src {
            Source::Member { dec, start } => {
                let mut raw = dec_into_raw(dec);
                // The decoder may have read past the next member's start: a
                // member cut short reads on into the one after it, and a
                // record cut short inside a whole member leaves the file at
                // the next member. Look again from just after this member's
                // start, once per stretch of damage (so no byte is scanned
                // more than twice); a failed seek leaves the file where it was.
                if !again && raw.pos > start + 1 {
                    let _ = raw.seek_to(start + 1);
                }
                let skip_current = raw.pos == start;
                if seek_gzip_magic(&mut raw, skip_current).unwrap_or(false) {
                    Source::Gz(raw)
                } else {
                    Source::Done
                }
            }
            Source::Plain(mut r) => {
                if seek_warc_line(&mut r).unwrap_or(false) {
                    Source::Plain(r)
                } else {
                    Source::Done
                }
            }
            Source::Gz(raw) => Source::Gz(raw),
            Source::Done => Source::Done,
        };
    }

    /// After a record that breaks the WARC format inside a gzip member that
    /// decodes well (a whole file in one member, a wrong Content-Length):
    /// on to the next `WARC/1.` line in the member, else to the member
    /// after it. A member that turns out damaged is left as [`Self::resync`]
    /// leaves it.
    fn resync_in_member(&mut self) {
        let Source::Member { dec, .. } = &mut self.src else {
            return self.resync();
        };
        match seek_warc_line(dec) {
            Ok(true) => self.resyncing = true,
            Ok(false) => {
                let Source::Member { dec, .. } = std::mem::replace(&mut self.src, Source::Done)
                else {
                    unreachable!("matched above")
                };
                self.src = Source::Gz(dec_into_raw(dec));
                self.resyncing = false;
            }
            Err(_) => self.resync(),
        }
    }

    /// The page of a response record, or `None` (skipped and counted).
    fn page(&mut self, head: Head, body: Option<Vec<u8>>, offset: u64) -> Option<Raw> {
        let kind = if head.kind.is_empty() {
            "untyped".to_string()
        } else {
            head.kind.clone()
        };
        let Some(body) = body else {
            if matches!(kind.as_str(), "response" | "resource") {
                return Some(Raw::Failed(
                    self.error(offset, ErrorKind::TooLarge(head.length)),
                ));
            }
            self.skip(format!("{kind} records"));
            return None;
        };
        let (content_type, payload) = if kind == "response" && is_http(head.content_type.as_deref())
        {
            match http_payload(&body) {
                Ok(HttpPayload::Page {
                    status,
                    content_type,
                    payload,
                }) => {
                    if !(200..300).contains(&status) {
                        self.skip(format!("HTTP {status} responses"));
                        return None;
                    }
                    (content_type, payload)
                }
                Ok(HttpPayload::Unsupported(why)) => {
                    self.skip(why);
                    return None;
                }
                Err(msg) => {
                    return Some(Raw::Failed(self.error(offset, ErrorKind::Warc(msg))));
                }
            }
        } else {
            (head.content_type.clone(), body)
        };
        let mime = content_type
            .as_deref()
            .map(|c| {
                c.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            })
            .unwrap_or_default();
        let html_mime = matches!(mime.as_str(), "text/html" | "application/xhtml+xml");
        let unknown = mime.is_empty() || mime == "application/octet-stream" || mime == "text/plain";
        if !(html_mime || unknown && onrecord_html::looks_like_html(&payload)) {
            let shown = if mime.is_empty() {
                "untyped".to_string()
            } else {
                mime
            };
            self.skip(format!("{shown} responses"));
            return None;
        }
        let id = head
            .id
            .as_deref()
            .map(|i| {
                i.trim_matches(['<', '>'])
                    .trim_start_matches("urn:uuid:")
                    .to_string()
            })
            .filter(|i| !i.is_empty())
            .unwrap_or_else(|| format!("{}@{offset}", crate::reader::file_stem(&self.path)));
        let meta = Metadata {
            crawled: head.date.clone(),
            ..Metadata::default()
        };
        Some(Raw::Html(HtmlJob {
            bytes: payload,
            id,
            origin: onrecord_core::Origin {
                file: self.path.clone(),
                position: Some(Position::Offset(offset)),
                format: Format::Warc,
                from_html: true,
            },
            meta,
            url: head.target,
            content_type,
        }))
    }
}

/// A response record holds an HTTP message (`application/http`), or says
/// nothing of its type.
fn is_http(content_type: Option<&str>) -> bool {
    content_type.is_none_or(|c| c.to_ascii_lowercase().contains("application/http"))
}

/// What an HTTP response in a WARC record carries.
enum HttpPayload {
    Page {
        status: u16,
        content_type: Option<String>,
        payload: Vec<u8>,
    },
    /// A payload that cannot be decoded here (the reason, counted).
    Unsupported(String),
}

/// Parses the HTTP head of a response record and returns its decoded body
/// (chunked transfer and gzip/deflate content encodings undone).
fn http_payload(body: &[u8]) -> Result<HttpPayload, String> {
    let mut headers = vec![httparse::EMPTY_HEADER; 128];
    let mut resp = httparse::Response::new(&mut headers);
    let head_len = match resp.parse(body) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Err("HTTP head cut short".into()),
        Err(e) => return Err(format!("bad HTTP head: {e}")),
    };
    let status = resp.code.unwrap_or(0);
    let header = |name: &str| -> Option<String> {
        resp.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).trim().to_string())
    };
    let content_type = header("content-type");
    let mut payload = body[head_len..].to_vec();
    if header("transfer-encoding").is_some_and(|t| t.to_ascii_lowercase().contains("chunked")) {
        // Crawlers store the body as sent; some dechunk it and keep the
        // header. Only undo chunking that is really there.
        if let Some(p) = dechunk(&payload) {
            payload = p;
        }
    }
    match header("content-encoding").map(|e| e.to_ascii_lowercase()) {
        None => {}
        Some(e) if e.is_empty() || e == "identity" => {}
        Some(e) if e == "gzip" || e == "x-gzip" || e == "deflate" => {
            let mut out = Vec::new();
            let limited =
                |r: Box<dyn Read>, out: &mut Vec<u8>| r.take(MAX_RECORD + 1).read_to_end(out);
            let res = if e == "deflate" && payload.first().is_some_and(|b| b & 0x0f == 8) {
                limited(
                    Box::new(flate2::read::ZlibDecoder::new(&payload[..])),
                    &mut out,
                )
            } else if e == "deflate" {
                limited(
                    Box::new(flate2::read::DeflateDecoder::new(&payload[..])),
                    &mut out,
                )
            } else {
                limited(
                    Box::new(flate2::read::MultiGzDecoder::new(&payload[..])),
                    &mut out,
                )
            };
            match res {
                Ok(_) if out.len() as u64 <= MAX_RECORD => payload = out,
                Ok(_) => return Err(format!("{e}-encoded body over the size limit")),
                // some crawlers store the decoded body and keep the header
                Err(_)
                    if crate::open::Compression::sniff(&payload)
                        == crate::open::Compression::None => {}
                Err(err) => return Err(format!("{e}-encoded body cannot be decoded: {err}")),
            }
        }
        Some(e) => return Ok(HttpPayload::Unsupported(format!("{e}-encoded responses"))),
    }
    Ok(HttpPayload::Page {
        status,
        content_type,
        payload,
    })
}

/// Undoes chunked transfer encoding; `None` when `data` is not chunked.
fn dechunk(data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len());
    let mut pos = 0;
    loop {
        let eol = data[pos..].windows(2).position(|w| w == b"\r\n")? + pos;
        let size_text = std::str::from_utf8(&data[pos..eol]).ok()?;
        let size_text = size_text.split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        pos = eol + 2;
        if size == 0 {
            return Some(out);
        }
        let end = pos.checked_add(size)?;
        out.extend_from_slice(data.get(pos..end)?);
        pos = end;
        if data.get(pos..pos + 2) == Some(b"\r\n") {
            pos += 2;
        }
        if pos >= data.len() {
            return Some(out);
        }
    }
}

/// Skips to the next gzip member signature (`1f 8b 08`), after the byte
/// the file is at when `skip_current` is set (never the member that just
/// failed); `false` at the end. A signature split between two reads of the
/// buffer is found too: the file is moved back to its first byte.
fn seek_gzip_magic(r: &mut RawFile, skip_current: bool) -> io::Result<bool> {
    const MAGIC: [u8; 3] = [0x1f, 0x8b, 0x08];
    if skip_current {
        if r.fill_buf()?.is_empty() {
            return Ok(false);
        }
        r.consume(1);
    }
    // the last two bytes of the previous buffer, and where they start
    let mut tail: Vec<u8> = Vec::with_capacity(4);
    loop {
        let at = r.pos;
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(false);
        }
        let mut joint = tail.clone();
        joint.extend_from_slice(&buf[..buf.len().min(2)]);
        if let Some(i) = joint.windows(3).position(|w| w == MAGIC) {
            if i < tail.len() {
                r.seek_to(at - (tail.len() - i) as u64)?;
                return Ok(true);
            }
        }
        if let Some(i) = buf.windows(3).position(|w| w == MAGIC) {
            r.consume(i);
            return Ok(true);
        }
        tail.clear();
        tail.extend_from_slice(&buf[buf.len().saturating_sub(2)..]);
        let n = buf.len();
        r.consume(n);
    }
}

/// Skips to the next line that starts with `WARC/1.`; `false` at the end.
fn seek_warc_line(r: &mut impl BufRead) -> io::Result<bool> {
    let mut line = Vec::new();
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(false);
        }
        if buf.starts_with(b"WARC/1.") {
            return Ok(true);
        }
        line.clear();
        let n = r.by_ref().take(MAX_HEAD).read_until(b'\n', &mut line)?;
        if n == 0 {
            return Ok(false);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    /// A WARC record as bytes.
    pub(crate) fn record(kind: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\n\
             WARC-Date: 2025-11-13T08:00:00Z\r\n\
             WARC-Record-ID: <urn:uuid:{:08x}-0000-0000-0000-000000000000>\r\n\
             Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            uri.len(),
            block.len()
        )
        .into_bytes();
        r.extend_from_slice(block);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }

    /// An HTTP response record.
    pub(crate) fn response(uri: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
        let mut http = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        http.extend_from_slice(body);
        record("response", uri, "application/http; msgtype=response", &http)
    }

    pub(crate) fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    pub(crate) const PAGE: &[u8] = b"<html><head><title>T</title></head><body><article>\
        <p>The minister said on Tuesday that the talks would go on next week in Geneva.</p>\
        <p>\"We are ready,\" she told reporters after the meeting with her counterpart.</p>\
        </article></body></html>";

    fn items(reader: WarcReader) -> (Vec<Raw>, BTreeMap<String, u64>) {
        let mut r = reader;
        let mut out = Vec::new();
        for item in r.by_ref() {
            out.push(item);
        }
        (out, r.skipped)
    }

    fn kinds(v: &[Raw]) -> Vec<String> {
        v.iter()
            .map(|r| match r {
                Raw::Html(j) => format!(
                    "page {} {:?}",
                    j.url.as_deref().unwrap_or("-"),
                    j.origin.position
                ),
                Raw::Ready(d) => format!("ready {}", d.id),
                Raw::Failed(e) => format!("error {e}"),
            })
            .collect()
    }

    #[test]
    fn plain_warc_pages_and_skips() {
        let mut w = record(
            "warcinfo",
            "",
            "application/warc-fields",
            b"software: test\r\n",
        );
        w.extend(record(
            "request",
            "http://a/1",
            "application/http; msgtype=request",
            b"GET /1 HTTP/1.1\r\n\r\n",
        ));
        let at = w.len() as u64;
        w.extend(response("http://a/1", "text/html; charset=utf-8", PAGE));
        w.extend(response("http://a/2.pdf", "application/pdf", b"%PDF-1.4"));
        let mut not_found =
            b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<html>gone</html>".to_vec();
        not_found.extend_from_slice(b"");
        w.extend(record(
            "response",
            "http://a/3",
            "application/http",
            &not_found,
        ));
        let (v, skipped) = items(WarcReader::plain("a.warc".into(), Box::new(Cursor::new(w))));
        assert_eq!(
            kinds(&v),
            vec![format!("page http://a/1 Some(Offset({at}))")]
        );
        let Raw::Html(job) = &v[0] else {
            unreachable!()
        };
        assert_eq!(job.bytes, PAGE);
        assert_eq!(job.meta.crawled.as_deref(), Some("2025-11-13"));
        assert_eq!(job.id, "0000000a-0000-0000-0000-000000000000");
        assert_eq!(
            job.content_type.as_deref(),
            Some("text/html; charset=utf-8")
        );
        let want: BTreeMap<String, u64> = [
            ("HTTP 404 responses", 1),
            ("application/pdf responses", 1),
            ("request records", 1),
            ("warcinfo records", 1),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        assert_eq!(skipped, want);
    }

    #[test]
    fn gzip_members_offsets_and_damage() {
        let r1 = gz(&response("http://a/1", "text/html", PAGE));
        let r2 = gz(&response("http://a/2", "text/html", PAGE));
        let r3 = gz(&response("http://a/3", "text/html", PAGE));
        let mut w = r1.clone();
        let at2 = w.len();
        // damage the second member's deflate data
        let mut bad = r2.clone();
        for b in &mut bad[30..60] {
            *b = 0xff;
        }
        w.extend(&bad);
        let at3 = w.len();
        w.extend(&r3);
        let (v, _) = items(WarcReader::gzip(
            "a.warc.gz".into(),
            Box::new(Cursor::new(w.clone())),
        ));
        let k = kinds(&v);
        assert_eq!(k.len(), 3, "{k:?}");
        assert_eq!(k[0], "page http://a/1 Some(Offset(0))");
        assert!(
            k[1].starts_with(&format!(
                "error a.warc.gz: record at byte {at2}: invalid WARC record"
            )),
            "{k:?}"
        );
        assert_eq!(k[2], format!("page http://a/3 Some(Offset({at3}))"));

        // a file cut in its last member
        let mut cut = r1.clone();
        cut.extend(&r2[..r2.len() / 2]);
        let (v, _) = items(WarcReader::gzip(
            "b.warc.gz".into(),
            Box::new(Cursor::new(cut)),
        ));
        let k = kinds(&v);
        assert_eq!(k.len(), 2, "{k:?}");
        assert!(k[1].starts_with(&format!("error b.warc.gz: record at byte {}: invalid WARC record: gzip member is corrupt or cut short", r1.len())), "{k:?}");

        // one gzip stream for the whole file: records inside one member
        let mut all = response("http://a/1", "text/html", PAGE);
        all.extend(response("http://a/2", "text/html", PAGE));
        let (v, _) = items(WarcReader::gzip(
            "c.warc.gz".into(),
            Box::new(Cursor::new(gz(&all))),
        ));
        assert_eq!(kinds(&v).len(), 2);
    }

    #[test]
    fn plain_warc_resyncs_after_a_bad_record() {
        let mut w = response("http://a/1", "text/html", PAGE);
        let bad_at = w.len();
        w.extend_from_slice(
            b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: zzz\r\n\r\nxx\r\n\r\n",
        );
        w.extend(response("http://a/2", "text/html", PAGE));
        let (v, _) = items(WarcReader::plain("d.warc".into(), Box::new(Cursor::new(w))));
        let k = kinds(&v);
        assert_eq!(k.len(), 3, "{k:?}");
        assert_eq!(
            k[1],
            format!("error d.warc: record at byte {bad_at}: invalid WARC record: bad Content-Length \"zzz\"")
        );
        assert!(k[2].starts_with("page http://a/2"));
        // not a WARC at all
        let (v, _) = items(WarcReader::plain(
            "e.warc".into(),
            Box::new(Cursor::new(b"hello\n".to_vec())),
        ));
        assert_eq!(kinds(&v), vec!["error e.warc: record at byte 0: invalid WARC record: expected a WARC/1.x version line, found \"hello\""]);
        let (v, _) = items(WarcReader::plain(
            "f.warc".into(),
            Box::new(Cursor::new(Vec::new())),
        ));
        assert_eq!(kinds(&v), vec!["error f.warc: empty file"]);
    }

    #[test]
    fn http_bodies() {
        let chunked = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n<html\r\n3\r\n><p\r\n0\r\n\r\n";
        let Ok(HttpPayload::Page { payload, .. }) = http_payload(chunked) else {
            panic!()
        };
        assert_eq!(payload, b"<html><p");
        let mut gzipped =
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n"
                .to_vec();
        gzipped.extend(gz(PAGE));
        let Ok(HttpPayload::Page { payload, .. }) = http_payload(&gzipped) else {
            panic!()
        };
        assert_eq!(payload, PAGE);
        // stored decoded, header kept
        let mut plain = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
        plain.extend_from_slice(PAGE);
        let Ok(HttpPayload::Page { payload, .. }) = http_payload(&plain) else {
            panic!()
        };
        assert_eq!(payload, PAGE);
        let br = b"HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\nxx";
        assert!(
            matches!(http_payload(br), Ok(HttpPayload::Unsupported(w)) if w == "br-encoded responses")
        );
        assert!(http_payload(b"HTTP/1.1 200").is_err());
        assert!(http_payload(b"\x00\x01garbage\r\n\r\n").is_err());
        assert_eq!(dechunk(b"zz\r\n"), None);
        assert_eq!(dechunk(b"ffffffffff\r\nab"), None);
    }
}
