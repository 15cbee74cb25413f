//! The tag set: BIO over source, cue and content, optionally with `L-`
//! (last token) labels that mark where a span of two or more tokens ends.
//!
//! Indices are fixed so that every model shares them: `0` O, `1..=6`
//! B-/I- source, cue, content, then `7` L-content, `8` L-source, `9` L-cue.
//! A model uses the first 7 (BIO), 8 (L for content only) or all 10.
//! A span of one token is `B-X` alone; a longer one is `B-X I-X… L-X`
//! where the model has `L-X`, else `B-X I-X…`.

use onrecord_core::Role;

pub const LABELS: [&str; 10] = [
    "O",
    "B-source",
    "I-source",
    "B-cue",
    "I-cue",
    "B-content",
    "I-content",
    "L-content",
    "L-source",
    "L-cue",
];
pub const O: u8 = 0;
/// Number of labels of the BIO tag set.
pub const BIO: usize = 7;
/// The tag set new models are trained with.
pub const DEFAULT_N_LABELS: usize = 10;

#[inline]
pub fn begin(role: Role) -> u8 {
    match role {
        Role::Source => 1,
        Role::Cue => 3,
        Role::Content => 5,
    }
}

#[inline]
pub fn inside(role: Role) -> u8 {
    begin(role) + 1
}

#[inline]
pub fn last(role: Role) -> u8 {
    match role {
        Role::Content => 7,
        Role::Source => 8,
        Role::Cue => 9,
    }
}

#[inline]
pub fn role_of(label: u8) -> Option<Role> {
    match label {
        1 | 2 | 8 => Some(Role::Source),
        3 | 4 | 9 => Some(Role::Cue),
        5..=7 => Some(Role::Content),
        _ => None,
    }
}

#[inline]
pub fn is_begin(label: u8) -> bool {
    matches!(label, 1 | 3 | 5)
}

/// The label names of a tag set of `n` labels (7, 8 or 10).
pub fn names(n: usize) -> Vec<String> {
    LABELS[..n].iter().map(|s| s.to_string()).collect()
}

/// `(n+1) × n` matrix for a tag set of `n` labels: `I-X` and `L-X` may only
/// follow `B-X` or `I-X`; where the set has `L-X`, `I-X` must be followed by
/// `I-X` or `L-X`.
pub fn allowed_n(n: usize) -> Vec<bool> {
    let mut a = vec![true; (n + 1) * n];
    for role in [Role::Source, Role::Cue, Role::Content] {
        let (b, i, l) = (
            begin(role) as usize,
            inside(role) as usize,
            last(role) as usize,
        );
        for prev in 0..=n {
            let ok = prev == b || prev == i;
            a[prev * n + i] = ok;
            if l < n {
                a[prev * n + l] = ok;
            }
        }
        if l < n {
            for y in 0..n {
                a[i * n + y] = y == i || y == l;
            }
        }
    }
    a
}

/// The BIO matrix (see [`allowed_n`]).
pub fn allowed() -> Vec<bool> {
    allowed_n(BIO)
}
