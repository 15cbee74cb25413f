use serde::{Deserialize, Serialize};
use std::ops::Range;

/// A byte range `[start, end)` into a document's original text.
///
/// The one offset type of the pipeline (as ruff's `TextRange`). `u32`
/// keeps tokens small; documents over 4 GiB are rejected at ingest.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    /// Panics in debug builds if `start > end`.
    #[inline]
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end, "span {start}..{end}");
        Span {
            start: start as u32,
            end: end as u32,
        }
    }

    #[inline]
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    #[inline]
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    #[inline]
    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The text this span covers. Returns "" when out of range or not on
    /// character boundaries, never panics.
    #[inline]
    pub fn text(self, text: &str) -> &str {
        text.get(self.range()).unwrap_or("")
    }

    #[inline]
    pub fn contains(self, offset: usize) -> bool {
        (self.start as usize) <= offset && offset < self.end as usize
    }

    #[inline]
    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The smallest span covering both.
    #[inline]
    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// The span with leading and trailing white space of `text` removed.
    pub fn trim(self, text: &str) -> Span {
        let s = self.text(text);
        let lead = s.len() - s.trim_start().len();
        let t = s.trim();
        Span {
            start: self.start + lead as u32,
            end: self.start + (lead + t.len()) as u32,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trim_and_text() {
        let t = "  hello  world ";
        let s = Span::new(0, t.len()).trim(t);
        assert_eq!(s.text(t), "hello  world");
        assert_eq!(s, Span::new(2, 14));
    }

    #[test]
    fn text_out_of_range_is_empty() {
        assert_eq!(Span::new(3, 10).text("ab"), "");
        assert_eq!(Span::new(0, 1).text("é"), "");
    }

    #[test]
    fn overlap_and_cover() {
        assert!(Span::new(0, 5).overlaps(Span::new(4, 6)));
        assert!(!Span::new(0, 5).overlaps(Span::new(5, 6)));
        assert_eq!(Span::new(0, 5).cover(Span::new(8, 9)), Span::new(0, 9));
    }
}
