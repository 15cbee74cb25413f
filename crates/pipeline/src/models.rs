//! Loading models: a file given in place of a built-in one, or the model
//! compiled into the binary (nothing is downloaded), and the identity of
//! the models that extract articles for the record.

use crate::{Error, Result};
use std::path::Path;

/// Loads a model from `path`, or the built-in one; `what` names it in the
/// error (`attribution`, `ner`, `chunks`: the `onrecord train` command
/// that rebuilds it).
pub fn load<T, E>(
    path: Option<&Path>,
    from_bytes: impl FnOnce(&[u8]) -> Result<T, E>,
    built_in: impl FnOnce() -> Result<T, E>,
    what: &'static str,
) -> Result<T>
where
    E: std::error::Error + Send + Sync + 'static,
{
    match path {
        Some(p) => {
            let b = std::fs::read(p).map_err(|source| Error::ReadModel {
                path: p.to_path_buf(),
                source,
            })?;
            from_bytes(&b).map_err(|e| Error::BadModel {
                path: p.to_path_buf(),
                source: Box::new(e),
            })
        }
        None => built_in().map_err(|e| Error::BuiltIn {
            what,
            source: Box::new(e),
        }),
    }
}

/// The entity model from `path`, or the built-in one.
pub fn ner(path: Option<&Path>) -> Result<onrecord_entities::NerModel> {
    load(
        path,
        onrecord_entities::NerModel::from_bytes,
        onrecord_entities::embedded_model,
        "ner",
    )
}

/// The attribution extractor from `path`, or the built-in one.
pub fn attribution(path: Option<&Path>) -> Result<onrecord_attribution::Extractor> {
    load(
        path,
        onrecord_attribution::Extractor::from_bytes,
        onrecord_attribution::Extractor::embedded,
        "attribution",
    )
}

/// The chunker from `path`, or the built-in one.
pub fn chunks(path: Option<&Path>) -> Result<onrecord_chunks::Chunker> {
    load(
        path,
        onrecord_chunks::Chunker::from_bytes,
        onrecord_chunks::Chunker::embedded,
        "chunks",
    )
}

/// What extracts articles for the record, as part of every content hash:
/// the onrecord version and every model, so a new model of any kind
/// re-extracts every article. `model` is the attribution model file, when
/// not the built-in one.
pub fn pipeline_id(model: Option<&Path>) -> Result<String> {
    use onrecord_store::hash_bytes;
    let model_hash = match model {
        Some(p) => hash_bytes(&std::fs::read(p).map_err(|source| Error::ReadModel {
            path: p.to_path_buf(),
            source,
        })?),
        None => hash_bytes(onrecord_attribution::EMBEDDED_MODEL),
    };
    Ok(format!(
        "onrecord {} attribution {} chunks {} clusters {} entities {} threads {} stance {}",
        env!("CARGO_PKG_VERSION"),
        model_hash,
        hash_bytes(onrecord_chunks::EMBEDDED_MODEL),
        hash_bytes(onrecord_clusters::EMBEDDED),
        hash_bytes(onrecord_entities::EMBEDDED_MODEL),
        hash_bytes(onrecord_threads::idf::EMBEDDED),
        hash_bytes(onrecord_threads::stance_model::EMBEDDED)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_model_file_is_named() {
        let e = ner(Some(Path::new("/nonexistent/ner.bin"))).err().unwrap();
        assert!(e.to_string().contains("/nonexistent/ner.bin"), "{e}");
    }

    #[test]
    fn a_corrupt_model_file_is_named() {
        let dir = std::env::temp_dir().join(format!("onrecord-model-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("bad.bin");
        std::fs::write(&p, b"not a model").unwrap();
        let e = attribution(Some(&p)).err().unwrap();
        assert!(e.to_string().starts_with("loading model"), "{e}");
        std::fs::remove_dir_all(&dir).ok();
    }
}
