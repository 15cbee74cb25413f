//! The tag set: BIO over source, cue and content.

use onrecord_core::Role;

pub const LABELS: [&str; 7] = [
    "O",
    "B-source",
    "I-source",
    "B-cue",
    "I-cue",
    "B-content",
    "I-content",
];
pub const O: u8 = 0;

#[inline]
pub fn begin(role: Role) -> u8 {
    match role {
        Role::Source => 1,
        Role::Cue => 3,
        Role::Content => 5,
    }
}

#[inline]
pub fn role_of(label: u8) -> Option<Role> {
    match label {
        1 | 2 => Some(Role::Source),
        3 | 4 => Some(Role::Cue),
        5 | 6 => Some(Role::Content),
        _ => None,
    }
}

#[inline]
pub fn is_begin(label: u8) -> bool {
    matches!(label, 1 | 3 | 5)
}

/// `(n+1) × n` matrix: `I-X` may only follow `B-X` or `I-X`.
pub fn allowed() -> Vec<bool> {
    let n = LABELS.len();
    let mut a = vec![true; (n + 1) * n];
    for prev in 0..=n {
        for y in [2u8, 4, 6] {
            let ok = prev < n && (prev as u8 == y || prev as u8 == y - 1);
            a[prev * n + y as usize] = ok;
        }
    }
    a
}
