//! Chunk kinds and the IOB2 label set: `O`, then `B-` and `I-` for each kind.

/// The phrase kinds tagged. CoNLL's rarer kinds (CONJP, INTJ, LST, UCP) are
/// read as outside any chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChunkKind {
    Np,
    Vp,
    Pp,
    Sbar,
    Advp,
    Adjp,
    Prt,
}

impl ChunkKind {
    pub const ALL: [ChunkKind; 7] = [
        ChunkKind::Np,
        ChunkKind::Vp,
        ChunkKind::Pp,
        ChunkKind::Sbar,
        ChunkKind::Advp,
        ChunkKind::Adjp,
        ChunkKind::Prt,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ChunkKind::Np => "NP",
            ChunkKind::Vp => "VP",
            ChunkKind::Pp => "PP",
            ChunkKind::Sbar => "SBAR",
            ChunkKind::Advp => "ADVP",
            ChunkKind::Adjp => "ADJP",
            ChunkKind::Prt => "PRT",
        }
    }

    pub fn from_name(s: &str) -> Option<ChunkKind> {
        ChunkKind::ALL.into_iter().find(|k| k.name() == s)
    }
}

pub const O: u8 = 0;
pub const N_LABELS: usize = 1 + 2 * ChunkKind::ALL.len();

/// The label that begins (`begin`) or continues a chunk of `k`.
pub fn label(k: ChunkKind, begin: bool) -> u8 {
    let i = ChunkKind::ALL.iter().position(|&x| x == k).unwrap_or(0) as u8;
    1 + 2 * i + (!begin) as u8
}

/// The kind of a label and whether it begins a chunk; `None` for `O` (and
/// for anything out of range).
pub fn kind(l: u8) -> Option<(ChunkKind, bool)> {
    if l == O || l as usize >= N_LABELS {
        return None;
    }
    let i = (l - 1) / 2;
    Some((ChunkKind::ALL[i as usize], l & 1 == 1))
}

/// The label of a CoNLL chunk tag (`B-NP`, `I-VP`, `O`, ...).
pub fn from_tag(tag: &str) -> u8 {
    let (p, k) = match tag.split_once('-') {
        Some(x) => x,
        None => return O,
    };
    match ChunkKind::from_name(k) {
        Some(k) => label(k, p == "B"),
        None => O,
    }
}

pub fn names() -> Vec<String> {
    (0..N_LABELS as u8)
        .map(|l| match kind(l) {
            None => "O".to_string(),
            Some((k, b)) => format!("{}-{}", if b { "B" } else { "I" }, k.name()),
        })
        .collect()
}

/// The `(n+1) × n` transition constraints (row `n` is the start): `I-X`
/// only after `B-X` or `I-X`.
pub fn allowed() -> Vec<bool> {
    let n = N_LABELS;
    let mut a = vec![false; (n + 1) * n];
    for prev in 0..=n {
        for to in 0..n as u8 {
            a[prev * n + to as usize] = match kind(to) {
                Some((k, false)) => prev < n && kind(prev as u8).is_some_and(|(p, _)| p == k),
                _ => true,
            };
        }
    }
    a
}

/// Chunks `(start, end, kind)` in token indices, end exclusive. An `I-`
/// without its `B-` opens a chunk.
pub fn spans(labels: &[u8]) -> Vec<(usize, usize, ChunkKind)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, ChunkKind)> = None;
    for (i, &l) in labels.iter().enumerate() {
        let k = kind(l);
        let continues = matches!((k, open), (Some((k, false)), Some((_, o))) if k == o);
        if !continues {
            if let Some((s, ok)) = open.take() {
                out.push((s, i, ok));
            }
            if let Some((k, _)) = k {
                open = Some((i, k));
            }
        }
    }
    if let Some((s, k)) = open {
        out.push((s, labels.len(), k));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip_and_constrain() {
        for k in ChunkKind::ALL {
            for b in [true, false] {
                assert_eq!(kind(label(k, b)), Some((k, b)));
            }
        }
        assert_eq!(from_tag("B-SBAR"), label(ChunkKind::Sbar, true));
        assert_eq!(from_tag("I-CONJP"), O);
        let a = allowed();
        let n = N_LABELS;
        let inp = label(ChunkKind::Np, false) as usize;
        assert!(!a[n * n + inp], "I-NP cannot start a sentence");
        assert!(a[label(ChunkKind::Np, true) as usize * n + inp]);
        assert!(!a[label(ChunkKind::Vp, true) as usize * n + inp]);
    }

    #[test]
    fn spans_of_labels() {
        let l = [
            label(ChunkKind::Np, true),
            label(ChunkKind::Np, false),
            label(ChunkKind::Vp, true),
            O,
            label(ChunkKind::Np, false),
        ];
        assert_eq!(
            spans(&l),
            vec![
                (0, 2, ChunkKind::Np),
                (2, 3, ChunkKind::Vp),
                (4, 5, ChunkKind::Np)
            ]
        );
    }
}
