//! Threads: statements grouped across articles by what they are about.
//!
//! Single-pass and incremental, in input order: a statement joins the
//! thread whose centroid (the sum of its members' subjects) is closest by
//! cosine if that is at least [`JOIN`]; else it continues the previous
//! statement of the same speaker in the article when that one has a thread
//! and the two are close enough; else it starts a thread if it names
//! something. Statements never move once assigned, so adding articles does
//! not reshuffle old threads; only centroids, sizes and dates grow.

use onrecord_core::{Extraction, Term};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Cosine needed to join a thread.
pub const JOIN: f32 = 0.22;
/// Cosine needed to continue the same speaker's previous thread.
pub const CONTINUE: f32 = 0.08;
/// How much a thread's size adds to its score (per e-fold of members).
pub const SIZE_BONUS: f32 = 0.15;
/// Terms kept in a centroid.
pub const CENTROID_TERMS: usize = 64;
/// Only this many of a statement's strongest terms look up candidate threads.
const PROBE_TERMS: usize = 8;
/// Of a term's threads, only the most recently indexed this many are
/// candidates: a common term in a decade of news is in a great many
/// threads, and a statement is far likelier to continue a recent one.
pub const POSTINGS_SCAN: usize = 512;
/// At most this many candidates are scored exactly (those sharing the most
/// probe weight with the statement); the rest are not considered.
pub const MAX_CANDIDATES: usize = 256;

/// One thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Thread {
    /// "t1", "t2", … in order of creation.
    pub id: String,
    /// Summed subject weights of the members, strongest first.
    pub centroid: Vec<Term>,
    pub size: u32,
    /// Earliest and latest member date (`YYYY-MM-DD`), when dated.
    pub first: Option<String>,
    pub last: Option<String>,
    /// Events its statements are about, with counts, most first.
    pub events: Vec<(String, u32)>,
}

impl Thread {
    /// A readable label: its three strongest terms as written.
    pub fn label(&self) -> String {
        self.centroid
            .iter()
            .take(3)
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// Adds a statement's subject; `at` finds a key (by its hash) in the
    /// centroid as it was before.
    fn absorb(
        &mut self,
        subject: &[Term],
        hashes: &[u64],
        at: impl Fn(u64) -> Option<usize>,
        date: Option<&str>,
    ) {
        for (s, &h) in subject.iter().zip(hashes) {
            match at(h) {
                Some(i) => self.centroid[i].weight += s.weight,
                None => self.centroid.push(s.clone()),
            }
        }
        self.centroid.sort_by(|a, b| {
            b.weight
                .total_cmp(&a.weight)
                .then_with(|| a.key.cmp(&b.key))
        });
        self.centroid.truncate(CENTROID_TERMS);
        self.size += 1;
        if let Some(d) = date {
            if self.first.as_deref().is_none_or(|f| d < f) {
                self.first = Some(d.to_string());
            }
            if self.last.as_deref().is_none_or(|l| d > l) {
                self.last = Some(d.to_string());
            }
        }
    }

    fn count_event(&mut self, id: &str) {
        match self.events.iter_mut().find(|(e, _)| e == id) {
            Some(x) => x.1 += 1,
            None => self.events.push((id.to_string(), 1)),
        }
        self.events
            .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    }
}

/// The threads of a run or a record, with an index from terms to threads.
#[derive(Debug, Default, Clone)]
pub struct Threads {
    threads: Vec<Thread>,
    /// Beside each thread: its centroid's keys by hash, and its norm.
    sigs: Vec<Sig>,
    index: HashMap<String, Vec<u32>>,
    /// Thread id → index.
    by_id: HashMap<String, u32>,
    next: u64,
    acc: Acc,
}

/// Scratch of [`Threads::best`]: per thread, the probe weight a statement
/// shares with it (dense, so a common term's long list of threads costs
/// no sort), and the threads it was set for.
#[derive(Debug, Default, Clone)]
struct Acc {
    sums: Vec<Option<(f32, f32)>>,
    touched: Vec<u32>,
}

/// 64-bit FNV-1a of a term key: centroid lookups compare integers, not
/// strings (scoring a statement against hundreds of candidate threads
/// would otherwise compare thousands of strings).
fn key_hash(key: &str) -> u64 {
    key.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A thread's centroid keys in an open-addressing table (a lookup is a
/// probe or two in one array, not a string compare), with each key's
/// position and weight in the centroid, and the centroid's norm; rebuilt
/// whenever the centroid changes.
#[derive(Debug, Default, Clone)]
struct Sig {
    /// A power of two at least twice the number of keys.
    slots: Vec<Slot>,
    norm: f32,
    /// The largest centroid weight over the norm.
    top: f32,
}

#[derive(Debug, Default, Clone, Copy)]
struct Slot {
    /// The key's hash; 0 marks an empty slot (a hash of 0 is stored as 1).
    hash: u64,
    weight: f32,
    at: u32,
}

/// A key hash as stored in a slot (never 0, which marks an empty one).
#[inline]
fn slot_hash(h: u64) -> u64 {
    h.max(1)
}

impl Sig {
    fn of(t: &Thread) -> Sig {
        let size = (t.centroid.len() * 2).next_power_of_two().max(8);
        let mut slots = vec![Slot::default(); size];
        for (i, c) in t.centroid.iter().enumerate() {
            let h = slot_hash(key_hash(&c.key));
            let mut j = (h as usize) & (size - 1);
            while slots[j].hash != 0 && slots[j].hash != h {
                j = (j + 1) & (size - 1);
            }
            if slots[j].hash == 0 {
                slots[j] = Slot {
                    hash: h,
                    weight: c.weight,
                    at: i as u32,
                };
            }
        }
        let norm = t
            .centroid
            .iter()
            .map(|t| t.weight * t.weight)
            .sum::<f32>()
            .sqrt();
        let max = t.centroid.iter().map(|t| t.weight).fold(0.0f32, f32::max);
        let top = if norm > 0.0 { max / norm } else { 0.0 };
        Sig { slots, norm, top }
    }

    /// The slot of the key with this hash.
    #[inline]
    fn get(&self, h: u64) -> Option<&Slot> {
        if self.slots.is_empty() {
            return None;
        }
        let h = slot_hash(h);
        let mask = self.slots.len() - 1;
        let mut j = (h as usize) & mask;
        loop {
            let s = &self.slots[j];
            if s.hash == h {
                return Some(s);
            }
            if s.hash == 0 {
                return None;
            }
            j = (j + 1) & mask;
        }
    }

    /// The position of the key with this hash in the centroid.
    fn find(&self, h: u64) -> Option<usize> {
        self.get(h).map(|s| s.at as usize)
    }
}

/// A statement's subject with its keys' hashes.
struct Probe<'a> {
    terms: &'a [Term],
    hashes: Vec<u64>,
}

impl<'a> Probe<'a> {
    fn new(terms: &'a [Term]) -> Probe<'a> {
        Probe {
            terms,
            hashes: terms.iter().map(|t| key_hash(&t.key)).collect(),
        }
    }
}

/// Is this statement worth a thread of its own: it names something, or
/// says enough.
fn substantive(subject: &[Term]) -> bool {
    subject.iter().any(|t| t.key.starts_with('@')) || subject.len() >= 4
}

/// Words that make a statement naming one participant of an event about
/// that event (stemmed as subjects are).
const EVENT_WORDS: &[&str] = &[
    "meet",
    "met",
    "meeting",
    "summit",
    "talks",
    "call",
    "conversation",
    "visit",
    "trip",
    "sign",
    "signed",
    "signing",
    "agreement",
    "accords",
    "deal",
    "understandings",
    "negotiations",
    "framework",
    "spirit",
];

/// Is a statement with this subject about the event: it names the place,
/// or two of the participants, or one of them and the kind of thing the
/// event was (a meeting, its agreements). One shared name alone is not
/// enough: a statement on climate that names Obama is not about his
/// meeting with Xi.
fn about_event(subject: &[Term], ev: &onrecord_core::Event) -> bool {
    let named = |id: &str| subject.iter().any(|t| t.key.strip_prefix('@') == Some(id));
    if ev
        .places
        .iter()
        .filter_map(|p| p.entity.as_deref())
        .any(named)
    {
        return true;
    }
    let mut ids: Vec<&str> = ev
        .participants
        .iter()
        .filter_map(|p| p.entity.as_deref())
        .filter(|id| named(id))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    match ids.len() {
        0 => false,
        1 => {
            static STEMS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
            let stems =
                STEMS.get_or_init(|| EVENT_WORDS.iter().map(|w| crate::terms::stem(w)).collect());
            subject.iter().any(|t| stems.contains(&t.key))
        }
        _ => true,
    }
}

impl Threads {
    /// Adds a thread loaded from the record.
    pub fn add(&mut self, t: Thread) {
        if let Some(n) = t.id.strip_prefix('t').and_then(|n| n.parse::<u64>().ok()) {
            self.next = self.next.max(n);
        }
        let k = self.threads.len() as u32;
        for c in &t.centroid {
            self.index.entry(c.key.clone()).or_default().push(k);
        }
        self.by_id.insert(t.id.clone(), k);
        self.sigs.push(Sig::of(&t));
        self.threads.push(t);
    }

    /// Takes a statement out of a thread (its article is being replaced).
    pub fn remove(&mut self, id: &str, subject: &[Term]) {
        let Some(&k) = self.by_id.get(id) else {
            return;
        };
        let t = &mut self.threads[k as usize];
        for s in subject {
            if let Some(c) = t.centroid.iter_mut().find(|c| c.key == s.key) {
                c.weight -= s.weight;
            }
        }
        t.centroid.retain(|c| c.weight > 1e-4);
        t.centroid.sort_by(|a, b| {
            b.weight
                .total_cmp(&a.weight)
                .then_with(|| a.key.cmp(&b.key))
        });
        t.size = t.size.saturating_sub(1);
        self.sigs[k as usize] = Sig::of(t);
    }

    pub fn all(&self) -> &[Thread] {
        &self.threads
    }

    /// Cosine of thread `k`'s centroid and the statement's subject (the
    /// products summed in subject order).
    fn cosine(&self, k: usize, p: &Probe) -> f32 {
        let sig = &self.sigs[k];
        if sig.norm == 0.0 {
            return 0.0;
        }
        let dot: f32 = p
            .terms
            .iter()
            .zip(&p.hashes)
            .filter_map(|(s, &h)| sig.get(h).map(|c| c.weight * s.weight))
            .sum();
        dot / sig.norm
    }

    /// Cosine, favouring established threads a little: a one-statement
    /// thread matches its own words too sharply.
    fn score(&self, k: usize, p: &Probe) -> f32 {
        self.cosine(k, p) * (1.0 + SIZE_BONUS * (self.threads[k].size.max(1) as f32).ln())
    }

    /// The best-scoring thread among the candidates the statement's
    /// strongest terms find, with its score. The work per statement is
    /// bounded whatever the number of threads: [`POSTINGS_SCAN`] threads
    /// per probe term, [`MAX_CANDIDATES`] exact scores at most.
    fn best(&self, p: &Probe, acc: &mut Acc) -> Option<(usize, f32)> {
        // (thread, the probe weight it shares with the statement, and the
        // sum of squares of those weights), summed in a dense accumulator
        acc.sums.resize(self.threads.len(), None);
        for s in p.terms.iter().take(PROBE_TERMS) {
            if let Some(v) = self.index.get(&s.key) {
                for &k in &v[v.len().saturating_sub(POSTINGS_SCAN)..] {
                    let e = &mut acc.sums[k as usize];
                    match e {
                        Some((w, sq)) => {
                            *w += s.weight;
                            *sq += s.weight * s.weight;
                        }
                        None => {
                            *e = Some((s.weight, s.weight * s.weight));
                            acc.touched.push(k);
                        }
                    }
                }
            }
        }
        let mut seen: Vec<(u32, f32, f32)> = Vec::with_capacity(acc.touched.len());
        for k in acc.touched.drain(..) {
            if let Some((w, sq)) = acc.sums[k as usize].take() {
                seen.push((k, w, sq));
            }
        }
        if seen.len() > MAX_CANDIDATES {
            // strongest shared weight first; ties to the older thread
            seen.select_nth_unstable_by(MAX_CANDIDATES - 1, |a, b| {
                b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0))
            });
            seen.truncate(MAX_CANDIDATES);
        }
        // An upper bound of each candidate's score (Cauchy–Schwarz: the
        // cosine is at most the length of the part of the unit-length
        // subject it shares, which is the probe terms it shares plus at
        // most all the terms not probed). Scoring in order of the bound
        // stops once no bound can reach the best score: the same choice
        // as scoring every candidate, at a fraction of the work.
        // Also: no centroid weight is more than the centroid's largest
        // share of its norm, so the cosine is at most that share times the
        // summed weights of the terms it could share.
        let (tail_sq, tail_sum) = p
            .terms
            .iter()
            .skip(PROBE_TERMS)
            .fold((0.0f32, 0.0f32), |(q, s), t| {
                (q + t.weight * t.weight, s + t.weight)
            });
        let mut bounded: Vec<(f32, u32)> = seen
            .iter()
            .map(|&(k, sum, sq)| {
                let sig = &self.sigs[k as usize];
                let bonus = 1.0 + SIZE_BONUS * (self.threads[k as usize].size.max(1) as f32).ln();
                let cs = (sq + tail_sq).min(1.0).sqrt();
                let top = sig.top * (sum + tail_sum);
                (cs.min(top) * bonus, k)
            })
            .collect();
        bounded.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let mut best: Option<(usize, f32)> = None;
        for (bound, k) in bounded {
            if best.is_some_and(|(_, s)| bound + 1e-4 < s) {
                break;
            }
            let k = k as usize;
            let score = self.score(k, p);
            // the highest score; ties to the older thread
            if best.is_none_or(|(bk, bs)| score > bs || (score == bs && k < bk)) {
                best = Some((k, score));
            }
        }
        best
    }

    fn join(&mut self, k: usize, p: &Probe, date: Option<&str>) {
        let new: Vec<usize> = (0..p.terms.len())
            .filter(|&i| self.sigs[k].find(p.hashes[i]).is_none())
            .collect();
        let t = &mut self.threads[k];
        let before = &self.sigs[k];
        t.absorb(p.terms, &p.hashes, |h| before.find(h), date);
        let sig = Sig::of(t);
        // index the new keys that survived the centroid's truncation
        for i in new {
            if sig.find(p.hashes[i]).is_some() {
                self.index
                    .entry(p.terms[i].key.clone())
                    .or_default()
                    .push(k as u32);
            }
        }
        self.sigs[k] = sig;
    }

    /// Sets `about` on every attribution of one document (whose `subject`
    /// is filled), creating and growing threads; returns the indices of
    /// the threads it touched.
    pub fn assign(&mut self, ex: &mut Extraction, date: Option<&str>) -> Vec<usize> {
        let mut touched: Vec<usize> = Vec::new();
        let mut last_of: HashMap<String, usize> = HashMap::new(); // speaker → thread
        let mut prev_speaker: Option<String> = None;
        for i in 0..ex.attributions.len() {
            // taken out while the thread state is updated, put back below
            let subject = std::mem::take(&mut ex.attributions[i].subject);
            let a = &ex.attributions[i];
            let speaker = a
                .speaker
                .as_ref()
                .map(|s| s.entity.clone().unwrap_or_else(|| s.name.to_lowercase()));
            if subject.is_empty() {
                continue;
            }
            let probe = Probe::new(&subject);
            let mut acc = std::mem::take(&mut self.acc);
            let best = self.best(&probe, &mut acc);
            self.acc = acc;
            // the same speaker's statement just before, when it has a thread
            let previous = speaker
                .as_ref()
                .filter(|_| i > 0 && prev_speaker == speaker)
                .and_then(|s| last_of.get(s).copied());
            prev_speaker = speaker.clone();
            let pick = match best {
                Some((k, c)) if c >= JOIN => Some(k),
                _ => match previous {
                    Some(p) if self.cosine(p, &probe) >= CONTINUE || subject.len() < 8 => Some(p),
                    _ if substantive(&subject) => {
                        self.next += 1;
                        let t = Thread {
                            id: format!("t{}", self.next),
                            centroid: Vec::new(),
                            size: 0,
                            first: None,
                            last: None,
                            events: Vec::new(),
                        };
                        self.by_id.insert(t.id.clone(), self.threads.len() as u32);
                        self.threads.push(t);
                        self.sigs.push(Sig::default());
                        Some(self.threads.len() - 1)
                    }
                    _ => None,
                },
            };
            if let Some(k) = pick {
                self.join(k, &probe, date);
                // the events of the article the statement is about
                for ev in &ex.events {
                    if about_event(&subject, ev) {
                        self.threads[k].count_event(&ev.id);
                    }
                }
                ex.attributions[i].about = Some(self.threads[k].id.clone());
                if let Some(s) = speaker {
                    last_of.insert(s, k);
                }
                if !touched.contains(&k) {
                    touched.push(k);
                }
            }
            ex.attributions[i].subject = subject;
        }
        touched
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(key: &str, weight: f32) -> Term {
        Term {
            key: key.into(),
            text: key.into(),
            weight,
        }
    }

    fn thread(n: usize, centroid: Vec<Term>) -> Thread {
        Thread {
            id: format!("t{n}"),
            centroid,
            size: 3,
            first: None,
            last: None,
            events: Vec::new(),
        }
    }

    #[test]
    fn a_common_term_in_thousands_of_threads_does_not_hide_the_right_one() {
        let mut th = Threads::default();
        // 5,000 threads share "president"; thread 7 alone has "anchorage"
        for n in 0..5000 {
            let own = if n == 7 {
                "anchorage".to_string()
            } else {
                format!("topic{n}")
            };
            th.add(thread(
                n + 1,
                vec![term("president", 0.5), term(&own, 0.8), term("said", 0.1)],
            ));
        }
        let subject = vec![term("president", 0.4), term("anchorage", 0.9)];
        let mut acc = Acc::default();
        let (k, score) = th
            .best(&Probe::new(&subject), &mut acc)
            .expect("a candidate");
        assert_eq!(th.all()[k].id, "t8");
        assert!(score >= JOIN, "{score}");
        // a statement with only the common term still finds a thread among
        // the most recent ones, without scoring all 5,000
        let common = [term("president", 1.0)];
        let (k, _) = th
            .best(&Probe::new(&common), &mut acc)
            .expect("a candidate");
        assert!(k >= 5000 - POSTINGS_SCAN, "{k}");
    }
}
