//! CoNLL column files, the format the taggers' training data comes in: one
//! token a line, columns split by white space, a blank line between
//! sentences, a `-DOCSTART-` line between documents. This module only splits
//! a file into sentences of rows; what the columns mean is the caller's.

use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum ConllError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}:{line}: {what}")]
    Format {
        path: String,
        line: usize,
        what: String,
    },
}

/// One token line.
#[derive(Debug, Clone, PartialEq)]
pub struct Row<'a> {
    /// 1-based line number in the file.
    pub line: usize,
    /// The line as read (without a carriage return).
    pub text: &'a str,
    pub cols: Vec<&'a str>,
}

/// The rows of one sentence.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sentence<'a> {
    /// A `-DOCSTART-` line came between this sentence and the one before
    /// (or before this, the first).
    pub new_doc: bool,
    pub rows: Vec<Row<'a>>,
}

/// Reads a whole file (its name goes into the error).
pub fn read_file(path: &Path) -> Result<String, ConllError> {
    std::fs::read_to_string(path).map_err(|source| ConllError::Io {
        path: path.display().to_string(),
        source,
    })
}

/// The sentences of `text`, in order; empty sentences are skipped.
pub fn sentences(text: &str) -> Vec<Sentence<'_>> {
    let mut out = Vec::new();
    let mut cur = Sentence::default();
    let mut new_doc = false;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        let docstart = line.starts_with("-DOCSTART-");
        if line.trim().is_empty() || docstart {
            if !cur.rows.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            new_doc |= docstart;
            continue;
        }
        if cur.rows.is_empty() {
            cur.new_doc = std::mem::take(&mut new_doc);
        }
        cur.rows.push(Row {
            line: n + 1,
            text: line,
            cols: line.split_whitespace().collect(),
        });
    }
    if !cur.rows.is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_documents_and_line_numbers() {
        let text = "-DOCSTART- -X- O O\r\n\r\nEU NNP I-NP I-ORG\r\nrejects VBZ I-VP O\n\n\n\
                    Peter NNP I-NP I-PER\n-DOCSTART- -X- O O\n\nBlackburn NNP I-NP I-PER\n";
        let s = sentences(text);
        assert_eq!(s.len(), 3);
        assert!(s[0].new_doc && !s[1].new_doc && s[2].new_doc);
        assert_eq!(s[0].rows[1].line, 4);
        assert_eq!(s[0].rows[1].text, "rejects VBZ I-VP O");
        assert_eq!(s[0].rows[1].cols, ["rejects", "VBZ", "I-VP", "O"]);
        assert_eq!(s[1].rows[0].cols[0], "Peter");
        assert_eq!(s[2].rows[0].line, 10);
        assert!(sentences("").is_empty());
        assert!(sentences("-DOCSTART- -X- O O\n\n").is_empty());
    }

    #[test]
    fn a_missing_file_is_an_error_naming_it() {
        let err = read_file(Path::new("/nonexistent/train.txt")).unwrap_err();
        assert!(
            err.to_string().starts_with("/nonexistent/train.txt: "),
            "{err}"
        );
    }
}
