//! Metadata beside plain-text articles: a `metadata.tsv` or `metadata.csv`
//! in the folder of the `.txt` files or the one above it (PolNeAR's layout:
//! `dev/metadata.tsv` for `dev/text/*.txt`), one row per article, keyed by
//! file name; and dates written in file names (`nyt_2016-09-08_…`).

use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use onrecord_core::Metadata;

use crate::fields::{date_part, split_authors};
use crate::{ErrorKind, IngestError};

/// The names a metadata file may have, in order of preference.
const NAMES: [&str; 2] = ["metadata.tsv", "metadata.csv"];

/// At most this many folders' metadata files are kept in memory.
const CACHED_FOLDERS: usize = 8;

/// The rows of one metadata file, by file name (with and without `.txt`).
#[derive(Debug, Default)]
pub(crate) struct Sidecar {
    rows: HashMap<String, Metadata>,
}

impl Sidecar {
    pub(crate) fn get(&self, file_name: &str) -> Option<&Metadata> {
        self.rows.get(file_name).or_else(|| {
            let stem = file_name.rsplit_once('.').map_or(file_name, |(s, _)| s);
            self.rows.get(stem)
        })
    }
}

/// Metadata files found so far, by the folder of the text files.
#[derive(Default)]
pub(crate) struct Sidecars {
    by_folder: Vec<(PathBuf, Option<Arc<Sidecar>>)>,
}

impl Sidecars {
    /// The metadata file for text files in `folder`, read once (bad rows go
    /// to `errors`, once, when it is read).
    pub(crate) fn for_folder(
        &mut self,
        folder: &Path,
        errors: &mut Vec<IngestError>,
    ) -> Option<Arc<Sidecar>> {
        if let Some((_, s)) = self.by_folder.iter().find(|(f, _)| f == folder) {
            return s.clone();
        }
        let found = find(folder).map(|path| Arc::new(read(&path, errors)));
        if self.by_folder.len() == CACHED_FOLDERS {
            self.by_folder.remove(0);
        }
        self.by_folder.push((folder.to_path_buf(), found.clone()));
        found
    }
}

/// `folder/metadata.tsv`, `folder/metadata.csv`, then the same one level up.
fn find(folder: &Path) -> Option<PathBuf> {
    let up = folder.parent();
    [Some(folder), up]
        .into_iter()
        .flatten()
        .flat_map(|dir| NAMES.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// Which metadata a column gives.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Col {
    File,
    Date,
    Title,
    Outlet,
    Authors,
    Url,
    Language,
    Other,
}

fn column(name: &str) -> Col {
    match name.trim().to_ascii_lowercase().as_str() {
        "filename" | "file" | "file_name" | "name" | "id" => Col::File,
        "publication_date" | "date" | "published" | "date_publish" | "pubdate" => Col::Date,
        "title" | "headline" => Col::Title,
        "publisher" | "outlet" | "source" | "site" | "source_domain" => Col::Outlet,
        "author" | "authors" | "byline" => Col::Authors,
        "url" | "link" => Col::Url,
        "language" | "lang" => Col::Language,
        _ => Col::Other,
    }
}

/// Reads a metadata file; a row with a bad date keeps its other fields and
/// is reported.
fn read(path: &Path, errors: &mut Vec<IngestError>) -> Sidecar {
    let name = path.to_string_lossy().into_owned();
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            errors.push(IngestError::new(name, ErrorKind::Io(e)));
            return Sidecar::default();
        }
    };
    let tab = path.extension().is_some_and(|e| e == "tsv");
    let mut rdr = ::csv::ReaderBuilder::new()
        .delimiter(if tab { b'\t' } else { b',' })
        .quoting(!tab)
        .flexible(true)
        .from_reader(BufReader::new(file));
    let cols: Vec<Col> = match rdr.headers() {
        Ok(h) => h.iter().map(column).collect(),
        Err(e) => {
            errors.push(IngestError::new(name, ErrorKind::Csv(e.to_string())));
            return Sidecar::default();
        }
    };
    let Some(file_col) = cols.iter().position(|&c| c == Col::File) else {
        errors.push(IngestError::new(
            name,
            ErrorKind::Metadata(
                "no `filename` column: cannot tell which article a row is for".into(),
            ),
        ));
        return Sidecar::default();
    };
    let mut out = Sidecar::default();
    let mut record = ::csv::StringRecord::new();
    loop {
        let line = rdr.position().line() as usize;
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                errors.push(IngestError::at_line(
                    name.clone(),
                    line,
                    ErrorKind::Csv(e.to_string()),
                ));
                if e.is_io_error() {
                    break;
                }
                continue;
            }
        }
        let Some(key) = record
            .get(file_col)
            .map(str::trim)
            .filter(|k| !k.is_empty())
        else {
            continue;
        };
        let mut meta = Metadata::default();
        for (i, value) in record.iter().enumerate() {
            let v = value.trim();
            if v.is_empty() || v == "None" || v == "NULL" {
                continue;
            }
            match cols.get(i).copied().unwrap_or(Col::Other) {
                Col::Date => match date_part(v) {
                    Some(d) => meta.date = Some(d),
                    None => errors.push(IngestError::at_line(
                        name.clone(),
                        line,
                        ErrorKind::Metadata(format!(
                            "malformed date {v:?} for {key} (expected YYYY-MM-DD): the article is read without it"
                        )),
                    )),
                },
                Col::Title => meta.title = Some(v.to_string()),
                Col::Outlet => meta.outlet = Some(v.to_string()),
                Col::Authors => meta.authors = split_authors(v),
                Col::Url => meta.url = Some(v.to_string()),
                Col::Language => meta.language = crate::lang::normalise(v),
                Col::File | Col::Other => {}
            }
        }
        out.rows.insert(key.to_string(), meta);
    }
    out
}

/// Fills what `meta` lacks from the metadata file's row.
pub(crate) fn fill(meta: &mut Metadata, row: &Metadata) {
    let take = |mine: &mut Option<String>, theirs: &Option<String>| {
        if mine.is_none() {
            mine.clone_from(theirs);
        }
    };
    take(&mut meta.date, &row.date);
    take(&mut meta.title, &row.title);
    take(&mut meta.outlet, &row.outlet);
    take(&mut meta.url, &row.url);
    take(&mut meta.language, &row.language);
    if meta.authors.is_empty() {
        meta.authors.clone_from(&row.authors);
    }
}

/// A `YYYY-MM-DD` date written in a file name (`nyt_2016-09-08_slug`),
/// standing apart from other digits, and a valid calendar date.
pub(crate) fn date_in_name(name: &str) -> Option<String> {
    let b = name.as_bytes();
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let cand = name.get(i..i + 10)?;
        let before = i.checked_sub(1).map(|j| b[j]);
        let after = b.get(i + 10).copied();
        let apart = |c: Option<u8>| !c.is_some_and(|c| c.is_ascii_digit());
        (apart(before) && apart(after) && crate::is_valid_date(cand)).then(|| cand.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::{create_dir_all, write};

    #[test]
    fn dates_in_file_names() {
        assert_eq!(
            date_in_name("nyt_2016-09-08_trump-says").as_deref(),
            Some("2016-09-08")
        );
        assert_eq!(date_in_name("2025-11-12").as_deref(), Some("2025-11-12"));
        assert_eq!(date_in_name("x12016-09-08"), None);
        assert_eq!(date_in_name("a_2016-02-30_b"), None);
        assert_eq!(date_in_name("000_e8348c9c7b4e2da3"), None);
        assert_eq!(date_in_name("é2016-09-08é").as_deref(), Some("2016-09-08"));
        assert_eq!(date_in_name(""), None);
    }

    #[test]
    fn polnear_layout_and_bad_rows() {
        let tmp = tempfile::tempdir().unwrap();
        let text = tmp.path().join("dev/text");
        create_dir_all(&text).unwrap();
        write(
            tmp.path().join("dev/metadata.tsv"),
            "compartment\tfilename\tpublisher\tpublication_date\tauthor\ttitle\n\
             dev\tnyt_a\tnyt\t2016-09-08\tJane Doe and John Roe\tA \"title\"\n\
             dev\tnyt_b\tnyt\t2016-13-08\tNone\tB\n",
        )
        .unwrap();
        let mut errors = Vec::new();
        let mut cache = Sidecars::default();
        let s = cache.for_folder(&text, &mut errors).unwrap();
        let a = s.get("nyt_a.txt").unwrap();
        assert_eq!(a.date.as_deref(), Some("2016-09-08"));
        assert_eq!(a.outlet.as_deref(), Some("nyt"));
        assert_eq!(a.title.as_deref(), Some("A \"title\""));
        assert_eq!(a.authors, vec!["Jane Doe", "John Roe"]);
        let b = s.get("nyt_b").unwrap();
        assert_eq!((b.date.as_deref(), b.title.as_deref()), (None, Some("B")));
        assert!(b.authors.is_empty());
        assert_eq!(errors.len(), 1);
        let msg = errors[0].to_string();
        assert!(
            msg.contains("metadata.tsv:3: malformed date \"2016-13-08\" for nyt_b"),
            "{msg}"
        );
        // read once: asking again reports nothing more
        assert!(cache.for_folder(&text, &mut errors).is_some());
        assert_eq!(errors.len(), 1);
        // no metadata file anywhere
        let other = tmp.path().join("elsewhere/deep");
        create_dir_all(&other).unwrap();
        assert!(cache.for_folder(&other, &mut errors).is_none());
    }

    #[test]
    fn csv_without_filename_column() {
        let tmp = tempfile::tempdir().unwrap();
        write(
            tmp.path().join("metadata.csv"),
            "date,title\n2020-01-01,x\n",
        )
        .unwrap();
        let mut errors = Vec::new();
        let s = Sidecars::default()
            .for_folder(tmp.path(), &mut errors)
            .unwrap();
        assert!(s.get("x").is_none());
        assert!(errors[0].to_string().contains("no `filename` column"));
    }
}
