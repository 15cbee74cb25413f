//! Reading the record from async handlers: SQLite connections are not
//! `Sync`, so each request borrows one (read-only) from a small pool and
//! uses it on a blocking thread, inside one read transaction (one
//! snapshot per request, even while `ingest` writes).

use crate::ApiError;
use onrecord_store::{Store, StoreError};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Idle connections kept for reuse; more are opened under load and closed
/// after.
const KEEP: usize = 8;

pub(crate) struct Reader {
    path: PathBuf,
    idle: Mutex<Vec<Store>>,
}

impl Reader {
    /// Opens one connection now, so a missing or newer record fails at
    /// start, not on the first request.
    pub fn open(path: &Path) -> Result<Reader, StoreError> {
        let first = Store::open_read(path)?;
        Ok(Reader {
            path: path.to_path_buf(),
            idle: Mutex::new(vec![first]),
        })
    }

    fn take(&self) -> Result<Store, ApiError> {
        let pooled = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
        match pooled {
            Some(s) => Ok(s),
            None => Ok(Store::open_read(&self.path)?),
        }
    }

    fn give(&self, s: Store) {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() < KEEP {
            idle.push(s);
        }
    }

    /// Runs `f` on a pooled connection on a blocking thread, in one read
    /// transaction.
    pub async fn read<T, F>(self: &Arc<Self>, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<T, ApiError> + Send + 'static,
    {
        let me = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let store = me.take()?;
            let began = store.conn().execute_batch("BEGIN").is_ok();
            let out = f(&store);
            if began {
                let _ = store.conn().execute_batch("COMMIT");
            }
            me.give(store);
            out
        })
        .await
        .map_err(|e| ApiError::internal(format!("a reader failed: {e}")))?
    }
}
