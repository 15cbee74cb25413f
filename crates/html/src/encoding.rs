//! Which encoding the bytes of a page are in, and decoding them.
//!
//! The order is the HTML standard's: a byte order mark (UTF-8, UTF-16LE/BE)
//! wins; then the `charset=` of the HTTP Content-Type header; then a
//! `<meta charset>` or `<meta http-equiv="Content-Type" content="…charset=…">`
//! in the first 4 KiB; else the bytes are sniffed: valid UTF-8 is UTF-8,
//! anything else Windows-1252 (which is what browsers read "ISO-8859-1"
//! as). A declared UTF-16 without a BOM is read as UTF-8 (as browsers do),
//! and a page declared UTF-8 (by its meta tag only) whose bytes are not
//! UTF-8 at all is read as Windows-1252.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
use std::borrow::Cow;

/// How far the `<meta charset>` prescan looks.
const PRESCAN: usize = 4096;

/// The encoding of `bytes` and how it was decided.
pub fn detect(bytes: &[u8], content_type: Option<&str>) -> &'static Encoding {
    if let Some((enc, _)) = Encoding::for_bom(bytes) {
        return enc;
    }
    if let Some(enc) = content_type.and_then(charset_param).and_then(label) {
        return non_utf16(enc);
    }
    if let Some(enc) = meta_charset(&bytes[..bytes.len().min(PRESCAN)]) {
        let enc = non_utf16(enc);
        if enc == UTF_8 && std::str::from_utf8(bytes).is_err() && mostly_not_utf8(bytes) {
            return WINDOWS_1252;
        }
        return enc;
    }
    if std::str::from_utf8(bytes).is_ok() {
        UTF_8
    } else if mostly_not_utf8(bytes) {
        WINDOWS_1252
    } else {
        UTF_8
    }
}

/// Decodes `bytes` with `enc` (a BOM is removed; malformed sequences become U+FFFD).
pub fn decode<'a>(bytes: &'a [u8], enc: &'static Encoding) -> Cow<'a, str> {
    let (text, _, _) = enc.decode(bytes);
    text
}

fn non_utf16(enc: &'static Encoding) -> &'static Encoding {
    if enc == UTF_16LE || enc == UTF_16BE {
        UTF_8
    } else {
        enc
    }
}

fn label(l: &str) -> Option<&'static Encoding> {
    Encoding::for_label(l.trim().trim_matches(['"', '\'']).as_bytes())
}

/// The value of `charset=` in a Content-Type value.
pub fn charset_param(ct: &str) -> Option<&str> {
    let lower_at = ct.to_ascii_lowercase().find("charset")?;
    let rest = ct.get(lower_at + 7..)?.trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let rest = rest.trim_start_matches(['"', '\'']);
    let end = rest
        .find(|c: char| {
            c == ';' || c == '"' || c == '\'' || c.is_whitespace() || c == '>' || c == '/'
        })
        .unwrap_or(rest.len());
    let v = &rest[..end];
    (!v.is_empty()).then_some(v)
}

/// `<meta charset=…>` or `<meta http-equiv=content-type content="…; charset=…">`.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let mut i = 0;
    while let Some(p) = find_ci(head, i, b"<meta") {
        let end = head[p..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(head.len(), |e| p + e);
        let tag = String::from_utf8_lossy(&head[p..end]);
        let lower = tag.to_ascii_lowercase();
        if let Some(c) = lower.find("charset") {
            // charset= directly, or inside content="…charset=…"
            if let Some(v) = charset_param(&tag[c..]) {
                if let Some(enc) = label(v) {
                    return Some(enc);
                }
            }
        }
        i = end;
    }
    None
}

/// True when the bytes have more invalid UTF-8 sequences than valid multi-byte ones.
fn mostly_not_utf8(bytes: &[u8]) -> bool {
    let (mut good, mut bad) = (0usize, 0usize);
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                good += s.bytes().filter(|&b| b >= 0xC0).count();
                break;
            }
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                good += valid.iter().filter(|&&b| b >= 0xC0).count();
                bad += 1;
                let skip = e.error_len().unwrap_or(after.len()).max(1);
                rest = &after[skip.min(after.len())..];
                if rest.is_empty() {
                    break;
                }
            }
        }
    }
    bad > good
}

fn find_ci(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from >= hay.len() || hay.len() - from < needle.len() {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_header_meta_sniff() {
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("<p>é</p>".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(
            detect(&utf16, Some("text/html; charset=iso-8859-1")),
            UTF_16LE
        );
        assert_eq!(decode(&utf16, UTF_16LE), "<p>é</p>");
        let latin = b"<meta charset=\"iso-8859-1\"><p>caf\xe9</p>";
        assert_eq!(detect(latin, None), WINDOWS_1252);
        assert_eq!(detect(latin, Some("text/html; charset=UTF-8")), UTF_8);
        assert_eq!(detect("<p>café</p>".as_bytes(), None), UTF_8);
        assert_eq!(detect(b"<p>caf\xe9 na\xefve</p>", None), WINDOWS_1252);
        let equiv =
            b"<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=windows-1252\">";
        assert_eq!(detect(equiv, None), WINDOWS_1252);
        // declared UTF-8, bytes Latin-1
        assert_eq!(
            detect(b"<meta charset=utf-8><p>Gr\xfc\xdfe</p>", None),
            WINDOWS_1252
        );
        assert_eq!(
            charset_param("text/html;charset=\"Shift_JIS\""),
            Some("Shift_JIS")
        );
    }
}
