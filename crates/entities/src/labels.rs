//! The BILOU label set over the four CoNLL types, and conversions to spans.
//!
//! Label `0` is `O`; then for each type (PER, ORG, LOC, MISC, in
//! [`EntityKind::ALL`] order) the four labels B, I, L, U. BILOU is used
//! rather than IOB2 because it lets the model learn entity ends.

use onrecord_core::EntityKind;

pub const N_LABELS: usize = 1 + 4 * 4;

const PREFIX: [&str; 4] = ["B", "I", "L", "U"];

/// Position of a token in an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Begin,
    Inside,
    Last,
    Unit,
}

pub fn label(kind: EntityKind, part: Part) -> u8 {
    let k = EntityKind::ALL.iter().position(|&x| x == kind).unwrap_or(0);
    (1 + k * 4 + part as usize) as u8
}

/// `None` for `O`.
pub fn decode(l: u8) -> Option<(EntityKind, Part)> {
    if l == 0 || l as usize >= N_LABELS {
        return None;
    }
    let k = (l as usize - 1) / 4;
    let part = match (l as usize - 1) % 4 {
        0 => Part::Begin,
        1 => Part::Inside,
        2 => Part::Last,
        _ => Part::Unit,
    };
    Some((EntityKind::ALL[k], part))
}

pub fn names() -> Vec<String> {
    let mut v = vec!["O".to_string()];
    for k in EntityKind::ALL {
        for p in PREFIX {
            v.push(format!("{p}-{}", k.conll()));
        }
    }
    v
}

/// The `(n+1) × n` transition constraints of BILOU (row `n` is the start).
pub fn allowed() -> Vec<bool> {
    let n = N_LABELS;
    let mut a = vec![false; (n + 1) * n];
    let opens = |to: u8| matches!(decode(to), None | Some((_, Part::Begin | Part::Unit)));
    for prev in 0..=n {
        for to in 0..n as u8 {
            let ok = if prev == n {
                opens(to)
            } else {
                match decode(prev as u8) {
                    None | Some((_, Part::Last | Part::Unit)) => opens(to),
                    Some((k, Part::Begin | Part::Inside)) => {
                        matches!(decode(to), Some((k2, Part::Inside | Part::Last)) if k2 == k)
                    }
                }
            };
            a[prev * n + to as usize] = ok;
        }
    }
    a
}

/// Entity spans `(start, end, kind)` in token indices, end exclusive.
/// Tolerates ill-formed sequences (an `I` without a `B` opens an entity).
pub fn spans(labels: &[u8]) -> Vec<(usize, usize, EntityKind)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, EntityKind)> = None;
    for (i, &l) in labels.iter().enumerate() {
        match decode(l) {
            None => {
                if let Some((s, k)) = open.take() {
                    out.push((s, i, k));
                }
            }
            Some((k, part)) => {
                if let Some((s, k0)) = open {
                    if k0 != k || matches!(part, Part::Begin | Part::Unit) {
                        out.push((s, i, k0));
                        open = None;
                    }
                }
                if open.is_none() {
                    open = Some((i, k));
                }
                if matches!(part, Part::Last | Part::Unit) {
                    if let Some((s, k)) = open.take() {
                        out.push((s, i + 1, k));
                    }
                }
            }
        }
    }
    if let Some((s, k)) = open {
        out.push((s, labels.len(), k));
    }
    out
}

/// BILOU labels for entity spans over `len` tokens.
pub fn from_spans(len: usize, spans: &[(usize, usize, EntityKind)]) -> Vec<u8> {
    let mut v = vec![0u8; len];
    for &(s, e, k) in spans {
        if e == s + 1 {
            v[s] = label(k, Part::Unit);
        } else if e > s {
            v[s] = label(k, Part::Begin);
            for x in &mut v[s + 1..e - 1] {
                *x = label(k, Part::Inside);
            }
            v[e - 1] = label(k, Part::Last);
        }
    }
    v
}

/// The IOB2 tag of each token ("B-PER", "I-PER", "O").
pub fn iob2(labels: &[u8]) -> Vec<String> {
    let mut out = vec!["O".to_string(); labels.len()];
    for (s, e, k) in spans(labels) {
        out[s] = format!("B-{}", k.conll());
        for t in &mut out[s + 1..e] {
            *t = format!("I-{}", k.conll());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use EntityKind::*;

    #[test]
    fn round_trip_spans() {
        let sp = vec![(0, 2, Person), (2, 3, Loc), (5, 8, Org)];
        let l = from_spans(9, &sp);
        assert_eq!(spans(&l), sp);
        let a = allowed();
        let n = N_LABELS;
        let mut prev = n;
        for &y in &l {
            assert!(a[prev * n + y as usize], "{prev} -> {y}");
            prev = y as usize;
        }
        assert_eq!(names().len(), N_LABELS);
    }

    #[test]
    fn ill_formed_sequences_still_give_spans() {
        let i_per = label(Person, Part::Inside);
        let b_loc = label(Loc, Part::Begin);
        assert_eq!(
            spans(&[i_per, i_per, b_loc]),
            vec![(0, 2, Person), (2, 3, Loc)]
        );
        assert_eq!(iob2(&[0, i_per]), vec!["O", "B-PER"]);
    }
}
