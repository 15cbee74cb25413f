//! Main-text extraction scored as trafilatura's evaluation does it.
//!
//! `evaldata.json` maps a URL to `{file, with, without}`: snippets that must
//! be in the main text of page `file` and snippets that must not. For every
//! page each `with` snippet found in the extracted text is a true positive
//! and each one missing a false negative; each `without` snippet found is a
//! false positive and each one absent a true negative (trafilatura's
//! `tests/comparison_small.py`, `evaluate_result`). Snippet and text are
//! compared after collapsing runs of white space to one space, so that a
//! paragraph break and a space read the same. A page with no text counts all
//! its `with` snippets as missed and all its `without` ones as absent.
//!
//! [`Half`] splits the pages in two by the parity of md5(file name), to
//! keep a held-out half when tuning on the other.

use serde::Serialize;
use std::path::Path;

/// One page of the key.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyPage {
    /// The URL the page was crawled from.
    pub url: String,
    /// Its file name in `pages/`.
    pub file: String,
    /// Snippets of the main text.
    pub with: Vec<String>,
    /// Snippets of boilerplate.
    pub without: Vec<String>,
}

/// Why the key could not be read.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not the expected JSON.
    #[error("{path}: {msg}")]
    Format {
        /// The file.
        path: String,
        /// What is wrong.
        msg: String,
    },
}

/// Reads `evaldata.json`, pages in file-name order.
pub fn read_key(path: &Path) -> Result<Vec<KeyPage>, KeyError> {
    let text = std::fs::read_to_string(path).map_err(|source| KeyError::Io {
        path: path.display().to_string(),
        source,
    })?;
    parse_key(&text).map_err(|msg| KeyError::Format {
        path: path.display().to_string(),
        msg,
    })
}

/// Parses the text of `evaldata.json`.
pub fn parse_key(text: &str) -> Result<Vec<KeyPage>, String> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let obj = v.as_object().ok_or("not a JSON object")?;
    let strings =
        |v: Option<&serde_json::Value>, what: &str, url: &str| -> Result<Vec<String>, String> {
            v.and_then(|x| x.as_array())
                .ok_or(format!("{url}: no \"{what}\" list"))?
                .iter()
                .map(|s| {
                    s.as_str()
                        .map(str::to_string)
                        .ok_or(format!("{url}: a non-string in \"{what}\""))
                })
                .collect()
        };
    let mut pages = Vec::with_capacity(obj.len());
    for (url, item) in obj {
        let file = item
            .get("file")
            .and_then(|f| f.as_str())
            .ok_or(format!("{url}: no \"file\""))?
            .to_string();
        pages.push(KeyPage {
            url: url.clone(),
            file,
            with: strings(item.get("with"), "with", url)?,
            without: strings(item.get("without"), "without", url)?,
        });
    }
    pages.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(pages)
}

/// Half of the pages, by the parity of md5(file name) read as a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Half {
    /// md5 even.
    Even,
    /// md5 odd.
    Odd,
}

impl Half {
    /// The half a file belongs to.
    pub fn of(file: &str) -> Half {
        let digest = md5::compute(file.as_bytes());
        if digest.0[15].is_multiple_of(2) {
            Half::Even
        } else {
            Half::Odd
        }
    }
}

/// Collapses runs of white space to one space and trims.
pub fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Summed counts of snippets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// `with` snippets found.
    pub tp: usize,
    /// `with` snippets missing.
    pub fn_: usize,
    /// `without` snippets found.
    pub fp: usize,
    /// `without` snippets absent.
    pub tn: usize,
}

impl Counts {
    /// Scores one page's text (`None`: nothing extracted).
    pub fn page(text: Option<&str>, key: &KeyPage) -> Counts {
        let Some(text) = text else {
            return Counts {
                fn_: key.with.len(),
                tn: key.without.len(),
                ..Counts::default()
            };
        };
        let t = collapse_ws(text);
        let mut c = Counts::default();
        for s in &key.with {
            if t.contains(&collapse_ws(s)) {
                c.tp += 1;
            } else {
                c.fn_ += 1;
            }
        }
        for s in &key.without {
            if t.contains(&collapse_ws(s)) {
                c.fp += 1;
            } else {
                c.tn += 1;
            }
        }
        c
    }

    /// Adds another page's counts.
    pub fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fn_ += o.fn_;
        self.fp += o.fp;
        self.tn += o.tn;
    }

    fn ratio(a: usize, b: usize) -> f64 {
        if b == 0 {
            0.0
        } else {
            a as f64 / b as f64
        }
    }

    /// tp / (tp + fp).
    pub fn precision(&self) -> f64 {
        Self::ratio(self.tp, self.tp + self.fp)
    }
    /// tp / (tp + fn).
    pub fn recall(&self) -> f64 {
        Self::ratio(self.tp, self.tp + self.fn_)
    }
    /// 2tp / (2tp + fp + fn).
    pub fn f1(&self) -> f64 {
        Self::ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn_)
    }
    /// (tp + tn) / all.
    pub fn accuracy(&self) -> f64 {
        Self::ratio(self.tp + self.tn, self.tp + self.tn + self.fp + self.fn_)
    }
}

/// The publication date a page marks up itself, as the reference for the
/// extractor's date: the first JSON-LD `"datePublished"` string, else the
/// `content` of the first `article:published_time` meta tag, when it starts
/// with `YYYY-MM-DD` (deliberately simple and independent of the extractor).
pub fn marked_date(html: &[u8]) -> Option<String> {
    let s = String::from_utf8_lossy(html);
    let iso = |v: &str| {
        let b = v.trim().as_bytes();
        let ok = b.len() >= 10
            && b[..4].iter().all(u8::is_ascii_digit)
            && b[4] == b'-'
            && b[5..7].iter().all(u8::is_ascii_digit)
            && b[7] == b'-'
            && b[8..10].iter().all(u8::is_ascii_digit);
        ok.then(|| String::from_utf8_lossy(&b[..10]).into_owned())
    };
    let from_ld = s.find("\"datePublished\"").and_then(|p| {
        let rest = s[p + 15..].trim_start().strip_prefix(':')?.trim_start();
        let rest = rest.strip_prefix('"')?;
        iso(&rest[..rest.find('"')?])
    });
    from_ld.or_else(|| {
        let p = s.find("article:published_time")?;
        let mut lo = p.saturating_sub(300);
        while !s.is_char_boundary(lo) {
            lo -= 1;
        }
        let mut hi = (p + 300).min(s.len());
        while !s.is_char_boundary(hi) {
            hi += 1;
        }
        let window = &s[lo..hi];
        let rest = &window[window.find("content=")? + 8..];
        let rest = rest.strip_prefix(['"', '\''])?;
        iso(rest)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_like_trafilatura() {
        let key = parse_key(
            r#"{"https://a/": {"file": "a.html", "with": ["two words", "gone"], "without": ["Menu", "Impressum"]},
                "https://b/": {"file": "b.html", "with": ["x"], "without": ["y"]}}"#,
        )
        .unwrap();
        assert_eq!(key[0].file, "a.html");
        let c = Counts::page(Some("Some two\n\nwords here. Impressum"), &key[0]);
        assert_eq!(
            c,
            Counts {
                tp: 1,
                fn_: 1,
                fp: 1,
                tn: 1
            }
        );
        let none = Counts::page(None, &key[1]);
        assert_eq!(
            none,
            Counts {
                tp: 0,
                fn_: 1,
                fp: 0,
                tn: 1
            }
        );
        let mut all = c;
        all.add(none);
        assert!((all.precision() - 0.5).abs() < 1e-9);
        assert!((all.recall() - 1.0 / 3.0).abs() < 1e-9);
        assert!((all.f1() - 0.4).abs() < 1e-9);
        assert!((all.accuracy() - 0.5).abs() < 1e-9);
    }

    #[test]
    fn marked_dates() {
        let ld = br#"<script>{"@type":"NewsArticle", "datePublished" : "2021-03-04T10:00:00Z"}</script>"#;
        assert_eq!(marked_date(ld).as_deref(), Some("2021-03-04"));
        let og = br#"<meta property="article:published_time" content="2020-08-16T09:00:00+02:00">"#;
        assert_eq!(marked_date(og).as_deref(), Some("2020-08-16"));
        assert_eq!(marked_date(b"<p>nothing</p>"), None);
    }

    #[test]
    fn halves_follow_md5() {
        // md5("a.html") = b244432e070737471040971f9f1c1074 (Python's hashlib):
        // even as a number, like its last byte
        assert_eq!(Half::of("a.html"), Half::Even);
        assert_eq!(Half::of("b.html"), Half::Odd); // 73fe…45ad
        assert!(parse_key("[]").is_err());
        assert_eq!(collapse_ws("  a \n\n b\t"), "a b");
    }
}
