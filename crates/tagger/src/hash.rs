//! Allocation-free feature hashing.

const K: u64 = 0x517c_c1b7_2722_0a95;

/// One step of the Fx hash (as in rustc): fast, good enough for features.
#[inline]
pub fn fx(h: u64, v: u64) -> u64 {
    (h.rotate_left(5) ^ v).wrapping_mul(K)
}

/// Mixes a feature hash so that its low bits are well spread.
#[inline]
pub fn mix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h
}

/// Hash of `template` and the bytes of `s`.
#[inline]
pub fn hash_bytes(template: u64, s: &[u8]) -> u64 {
    let mut h = fx(0, template);
    let mut chunks = s.chunks_exact(8);
    for c in &mut chunks {
        let mut b = [0u8; 8];
        b.copy_from_slice(c);
        h = fx(h, u64::from_le_bytes(b));
    }
    let mut last = 0u64;
    for (i, &b) in chunks.remainder().iter().enumerate() {
        last |= (b as u64) << (8 * i);
    }
    fx(fx(h, last), s.len() as u64)
}

/// Like [`hash_bytes`] over the ASCII-lower-cased bytes of `s`.
#[inline]
pub fn hash_lower(template: u64, s: &[u8]) -> u64 {
    let mut h = fx(0, template);
    let mut chunks = s.chunks_exact(8);
    for c in &mut chunks {
        let mut b = [0u8; 8];
        b.copy_from_slice(c);
        // lower-case ASCII letters in all 8 bytes at once
        let v = u64::from_le_bytes(b);
        let x = v & 0x7f7f_7f7f_7f7f_7f7f;
        let upper =
            (x + 0x3f3f_3f3f_3f3f_3f3f) & !(x + 0x2525_2525_2525_2525) & !v & 0x8080_8080_8080_8080;
        h = fx(h, v | (upper >> 2));
    }
    let mut last = 0u64;
    for (i, &b) in chunks.remainder().iter().enumerate() {
        last |= (b.to_ascii_lowercase() as u64) << (8 * i);
    }
    fx(fx(h, last), s.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_matches_lowercased_bytes() {
        for s in [
            "Hello",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ[@`{",
            "mIxEd CaSe LoNg StRiNg",
            "Ünïcode Ä",
            "",
        ] {
            assert_eq!(
                hash_lower(7, s.as_bytes()),
                hash_bytes(7, s.to_ascii_lowercase().as_bytes()),
                "{s}"
            );
        }
    }

    #[test]
    fn templates_differ() {
        assert_ne!(hash_bytes(1, b"said"), hash_bytes(2, b"said"));
        assert_ne!(hash_bytes(1, b"said"), hash_bytes(1, b"sai"));
    }
}
