//! Compressed inputs: gzip (multi-member too), zstd and bzip2 around any
//! format, detected by their magic bytes (not by the file name), decoded as
//! a stream.

use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};

/// A compression format, told by the first bytes of a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Compression {
    None,
    Gzip,
    Zstd,
    Bzip2,
}

impl Compression {
    /// The format whose magic bytes `head` starts with.
    pub(crate) fn sniff(head: &[u8]) -> Compression {
        if head.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else if head.len() >= 4 && head.starts_with(b"BZh") && (b'1'..=b'9').contains(&head[3]) {
            Compression::Bzip2
        } else {
            Compression::None
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Compression::None => "plain",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
            Compression::Bzip2 => "bzip2",
        }
    }
}

/// File-name suffixes of compressed files, stripped to find the inner
/// format (`a.jsonl.gz` is JSONL).
pub(crate) const COMPRESSED_SUFFIXES: [&str; 5] = ["gz", "gzip", "zst", "zstd", "bz2"];

pub(crate) const READ_BUFFER: usize = 64 * 1024;

/// The first bytes of `reader` without consuming them (as many as one
/// fill of its buffer gives, retried on interruption).
pub(crate) fn peek(reader: &mut impl BufRead) -> io::Result<&[u8]> {
    loop {
        match reader.fill_buf() {
            Ok(_) => break,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    reader.fill_buf()
}

/// Wraps `reader` in the decoder its first bytes call for, and says which.
/// Decoding errors surface as `io::Error`s of kind `InvalidData` (or
/// `UnexpectedEof` for a stream cut short) from the returned reader.
pub(crate) fn decoded(
    mut reader: Box<dyn BufRead + Send>,
) -> io::Result<(Box<dyn BufRead + Send>, Compression)> {
    let c = Compression::sniff(peek(&mut reader)?);
    let inner: Box<dyn Read + Send> = match c {
        Compression::None => return Ok((reader, c)),
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(reader)),
        Compression::Zstd => Box::new(zstd::stream::read::Decoder::with_buffer(reader)?),
        Compression::Bzip2 => Box::new(bzip2::bufread::MultiBzDecoder::new(reader)),
    };
    let named = Decoding {
        inner: BufReader::with_capacity(READ_BUFFER, inner),
        format: c.name(),
    };
    Ok((Box::new(named), c))
}

/// A decoding error, with the compression format it came from.
#[derive(Debug)]
pub(crate) struct DecodeError {
    pub(crate) format: &'static str,
    pub(crate) message: String,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DecodeError {}

/// A decoder whose errors say which format failed.
struct Decoding<R> {
    inner: R,
    format: &'static str,
}

impl<R> Decoding<R> {
    fn wrap(&self, e: io::Error) -> io::Error {
        if !is_decoding_error(&e) {
            return e;
        }
        let kind = e.kind();
        io::Error::new(
            kind,
            DecodeError {
                format: self.format,
                message: e.to_string(),
            },
        )
    }
}

impl<R: Read> Read for Decoding<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf).map_err(|e| self.wrap(e))
    }
}

impl<R: BufRead> BufRead for Decoding<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        match self.inner.fill_buf() {
            Ok(_) => {}
            Err(e) => return Err(self.wrap(e)),
        }
        self.inner.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        self.inner.consume(amt);
    }
}

/// Whether an I/O error came from decoding (corrupt or cut data), not from
/// the file system (whose errors have kinds of their own).
pub(crate) fn is_decoding_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::InvalidData
            | io::ErrorKind::UnexpectedEof
            | io::ErrorKind::InvalidInput
            | io::ErrorKind::Other
    )
}

/// Reads at most `limit + 1` bytes of `reader` into `into` (one more than
/// the limit tells "too large").
pub(crate) fn read_limited(reader: impl Read, limit: u64, into: &mut Vec<u8>) -> io::Result<()> {
    reader.take(limit + 1).read_to_end(into).map(|_| ())
}

/// A stream that can go back: a file (WARC archives read from a file
/// look again for the next gzip member after damage).
pub(crate) trait ReadSeek: Read + Seek + Send {}

impl<T: Read + Seek + Send> ReadSeek for T {}

/// A reader that counts the bytes consumed from it (the offsets of WARC
/// records in their file).
pub(crate) struct Counting<R> {
    inner: R,
    pub(crate) pos: u64,
}

impl<R> Counting<R> {
    pub(crate) fn new(inner: R) -> Self {
        Counting { inner, pos: 0 }
    }

    pub(crate) fn into_inner(self) -> R {
        self.inner
    }
}

impl<R: Seek> Counting<R> {
    /// Moves to byte `pos` of the stream (`pos` counts from its start, as
    /// the count does when the stream was at its start when wrapped).
    pub(crate) fn seek_to(&mut self, pos: u64) -> io::Result<()> {
        self.inner.seek(SeekFrom::Start(pos))?;
        self.pos = pos;
        Ok(())
    }
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counting<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        self.pos += amt as u64;
        self.inner.consume(amt);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn read_all(bytes: Vec<u8>) -> io::Result<(Vec<u8>, Compression)> {
        let (mut r, c) = decoded(Box::new(Cursor::new(bytes)))?;
        let mut out = Vec::new();
        r.read_to_end(&mut out)?;
        Ok((out, c))
    }

    #[test]
    fn sniffs_and_decodes_every_format() {
        let text = b"{\"text\": \"He said so.\"}\n".repeat(100);
        assert_eq!(
            read_all(text.clone()).unwrap(),
            (text.clone(), Compression::None)
        );
        assert_eq!(
            read_all(gz(&text)).unwrap(),
            (text.clone(), Compression::Gzip)
        );
        let z = zstd::encode_all(Cursor::new(&text), 3).unwrap();
        assert_eq!(read_all(z).unwrap(), (text.clone(), Compression::Zstd));
        let mut b = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
        b.write_all(&text).unwrap();
        let b = b.finish().unwrap();
        assert_eq!(read_all(b).unwrap(), (text.clone(), Compression::Bzip2));
        // gzip members one after another read as one stream
        let mut two = gz(b"first ");
        two.extend(gz(b"second"));
        assert_eq!(read_all(two).unwrap().0, b"first second");
    }

    #[test]
    fn cut_or_corrupt_streams_are_errors() {
        let text = b"some text that compresses ".repeat(200);
        let z = gz(&text);
        let cut = z[..z.len() / 2].to_vec();
        let e = read_all(cut).unwrap_err();
        assert!(is_decoding_error(&e), "{e:?}");
        let mut bad = z.clone();
        for b in &mut bad[20..40] {
            *b ^= 0x5a;
        }
        assert!(read_all(bad).is_err());
        let zs = zstd::encode_all(Cursor::new(&text), 3).unwrap();
        assert!(read_all(zs[..zs.len() - 8].to_vec()).is_err());
    }

    #[test]
    fn counting_reader() {
        let mut c = Counting::new(Cursor::new(b"abcdef".to_vec()));
        let mut buf = [0u8; 2];
        c.read_exact(&mut buf).unwrap();
        assert_eq!(c.pos, 2);
        c.fill_buf().unwrap();
        c.consume(3);
        assert_eq!(c.pos, 5);
    }
}
