//! A large zero-initialised `i8` table for a model's weights.
//!
//! On Linux the table is mapped directly and marked for transparent huge
//! pages: filling a table of many megabytes then takes a handful of page
//! faults instead of thousands (model loading is most of the start-up time
//! of a short run), and random look-ups while decoding miss the TLB far
//! less. Elsewhere, or when the mapping fails, it is a plain `Vec`.

use std::ops::{Deref, DerefMut};

pub(crate) struct Table {
    inner: Inner,
}

enum Inner {
    Vec(Vec<i8>),
    #[cfg(target_os = "linux")]
    Map {
        /// Start of the mapping (what `munmap` takes) and its length.
        base: *mut libc::c_void,
        map_len: usize,
        /// The table: `len` bytes from `ptr`, inside the mapping.
        ptr: *mut i8,
        len: usize,
    },
}

// SAFETY: the mapping is owned by the table alone, like a `Vec`'s buffer.
unsafe impl Send for Table {}
// SAFETY: shared access only reads.
unsafe impl Sync for Table {}

#[cfg(target_os = "linux")]
const HUGE: usize = 2 << 20;

impl Table {
    pub(crate) fn zeroed(len: usize) -> Table {
        #[cfg(target_os = "linux")]
        if len >= HUGE {
            if let Some(t) = Self::map(len) {
                return t;
            }
        }
        Table {
            inner: Inner::Vec(vec![0; len]),
        }
    }

    #[cfg(target_os = "linux")]
    fn map(len: usize) -> Option<Table> {
        // room to align the start to a huge page
        let map_len = len.checked_add(HUGE)?;
        // SAFETY: an anonymous private mapping; the kernel fills it with zeros.
        let base = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                map_len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if base == libc::MAP_FAILED {
            return None;
        }
        let off = (HUGE - (base as usize) % HUGE) % HUGE;
        // SAFETY: `off < HUGE`, so `[ptr, ptr + len)` lies inside the mapping.
        let ptr = unsafe { (base as *mut i8).add(off) };
        // A hint only: without huge pages the table works the same.
        // SAFETY: the range lies inside the mapping.
        unsafe {
            libc::madvise(
                ptr as *mut libc::c_void,
                len.div_ceil(HUGE) * HUGE,
                libc::MADV_HUGEPAGE,
            );
        }
        Some(Table {
            inner: Inner::Map {
                base,
                map_len,
                ptr,
                len,
            },
        })
    }
}

impl Deref for Table {
    type Target = [i8];
    fn deref(&self) -> &[i8] {
        match &self.inner {
            Inner::Vec(v) => v,
            #[cfg(target_os = "linux")]
            // SAFETY: `len` initialised (zeroed) bytes at `ptr`, owned by `self`.
            Inner::Map { ptr, len, .. } => unsafe { std::slice::from_raw_parts(*ptr, *len) },
        }
    }
}

impl DerefMut for Table {
    fn deref_mut(&mut self) -> &mut [i8] {
        match &mut self.inner {
            Inner::Vec(v) => v,
            #[cfg(target_os = "linux")]
            // SAFETY: as in `deref`, and `&mut self` is unique.
            Inner::Map { ptr, len, .. } => unsafe { std::slice::from_raw_parts_mut(*ptr, *len) },
        }
    }
}

impl Drop for Table {
    fn drop(&mut self) {
        #[cfg(target_os = "linux")]
        if let Inner::Map { base, map_len, .. } = self.inner {
            // SAFETY: the mapping made in `map`, unmapped once.
            unsafe {
                libc::munmap(base, map_len);
            }
        }
    }
}

impl Clone for Table {
    fn clone(&self) -> Table {
        let mut t = Table::zeroed(self.len());
        t.copy_from_slice(self);
        t
    }
}

impl std::fmt::Debug for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Table({} bytes)", self.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zeroed_writable_and_cloned() {
        for len in [0, 10, (4 << 20) + 3] {
            let mut t = Table::zeroed(len);
            assert_eq!(t.len(), len);
            assert!(t.iter().all(|&x| x == 0));
            if len > 0 {
                t[len - 1] = 7;
                let c = t.clone();
                assert_eq!(c[len - 1], 7);
                assert_eq!(c.len(), len);
            }
        }
    }
}
