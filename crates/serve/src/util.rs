//! Small text helpers: HTML escaping, percent-encoding, snippets, query
//! strings.

use onrecord_store::query::{HL_CLOSE, HL_OPEN};
use std::fmt::Write;

/// Appends `s` escaped for HTML text and double- or single-quoted
/// attribute values.
pub fn esc_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    esc_into(&mut out, s);
    out
}

/// Percent-encodes everything but the unreserved characters (RFC 3986),
/// for a path segment or a query value.
pub fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// A search snippet as HTML: escaped, matched terms in `<mark>` (always
/// balanced, whatever the marks).
pub fn snippet_html(snippet: &str) -> String {
    let mut out = String::with_capacity(snippet.len() + 16);
    let mut open = false;
    for c in snippet.chars() {
        match c {
            HL_OPEN if !open => {
                out.push_str("<mark>");
                open = true;
            }
            HL_CLOSE if open => {
                out.push_str("</mark>");
                open = false;
            }
            HL_OPEN | HL_CLOSE => {}
            c => {
                let mut b = [0u8; 4];
                esc_into(&mut out, c.encode_utf8(&mut b));
            }
        }
    }
    if open {
        out.push_str("</mark>");
    }
    out
}

/// A snippet for JSON, as the CLI prints it: matched terms in `**…**`.
pub fn snippet_plain(snippet: &str) -> String {
    snippet.replace([HL_OPEN, HL_CLOSE], "**")
}

/// `path?query` with the pairs whose value is not empty (values encoded).
pub fn url_with(path: &str, pairs: &[(&str, String)]) -> String {
    let q: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", enc(v)))
        .collect();
    if q.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", q.join("&"))
    }
}

/// The same request with another `offset` (the other parameters as sent).
pub fn with_offset(path: &str, raw_query: Option<&str>, offset: usize) -> String {
    let mut parts: Vec<&str> = raw_query
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty() && p.split('=').next() != Some("offset"))
        .collect();
    let o = format!("offset={offset}");
    parts.push(&o);
    format!("{path}?{}", parts.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_and_encoding() {
        assert_eq!(
            esc(r#"<a href="x" onerror='y'>&"#),
            "&lt;a href=&quot;x&quot; onerror=&#39;y&#39;&gt;&amp;"
        );
        assert_eq!(enc("name:yuri ushakov/é"), "name%3Ayuri%20ushakov%2F%C3%A9");
        assert_eq!(
            snippet_html("a \u{2}<b>\u{3} \u{3}c\u{2}d"),
            "a <mark>&lt;b&gt;</mark> c<mark>d</mark>"
        );
        assert_eq!(snippet_plain("a \u{2}b\u{3}"), "a **b**");
        assert_eq!(
            with_offset("/api/quotes", Some("speaker=x&offset=5&limit=2"), 7),
            "/api/quotes?speaker=x&limit=2&offset=7"
        );
        assert_eq!(
            url_with("/search", &[("q", "a b".into()), ("kind", String::new())]),
            "/search?q=a%20b"
        );
    }
}
