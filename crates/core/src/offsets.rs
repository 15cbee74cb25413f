/// Converts byte offsets into Unicode code-point offsets (and back) for one
/// text, as JSON output wants them (the brat and spaCy convention).
///
/// Pure-ASCII texts need no table; otherwise one sorted checkpoint per
/// non-ASCII character keeps conversion `O(log n)` without a per-byte table.
#[derive(Debug, Clone)]
pub struct CharOffsets {
    /// For each non-ASCII char: (byte offset just after it, char count up to there).
    marks: Vec<(u32, u32)>,
}

impl CharOffsets {
    pub fn new(text: &str) -> CharOffsets {
        let mut marks = Vec::new();
        if !text.is_ascii() {
            let mut chars = 0u32;
            for (i, c) in text.char_indices() {
                chars += 1;
                if !c.is_ascii() {
                    marks.push(((i + c.len_utf8()) as u32, chars));
                }
            }
        }
        CharOffsets { marks }
    }

    /// Code-point offset of a byte offset (which should be on a char boundary).
    pub fn char_of(&self, byte: usize) -> usize {
        let byte = byte as u32;
        // last mark whose byte end <= byte
        let idx = self.marks.partition_point(|&(b, _)| b <= byte);
        if idx == 0 {
            byte as usize
        } else {
            let (b, c) = self.marks[idx - 1];
            (c + (byte - b)) as usize
        }
    }

    /// Byte offset of a code-point offset.
    pub fn byte_of(&self, ch: usize) -> usize {
        let ch = ch as u32;
        let idx = self.marks.partition_point(|&(_, c)| c <= ch);
        if idx == 0 {
            ch as usize
        } else {
            let (b, c) = self.marks[idx - 1];
            (b + (ch - c)) as usize
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_on_mixed_text() {
        let t = "a“bé” ’90s 😀x";
        let o = CharOffsets::new(t);
        for (ci, (bi, _)) in t.char_indices().enumerate() {
            assert_eq!(o.char_of(bi), ci, "byte {bi}");
            assert_eq!(o.byte_of(ci), bi, "char {ci}");
        }
        assert_eq!(o.char_of(t.len()), t.chars().count());
        assert_eq!(o.byte_of(t.chars().count()), t.len());
    }

    #[test]
    fn ascii_is_identity() {
        let o = CharOffsets::new("hello");
        assert_eq!(o.char_of(3), 3);
        assert_eq!(o.byte_of(4), 4);
    }
}
