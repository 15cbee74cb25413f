//! Name keys: one identity per person, organisation or place across
//! documents.
//!
//! A person's key is the folded surname plus the consonant skeleton of the
//! given name: "Yuri Ushakov" and "Yury Ushakov" both give
//! `per:ushakov:iri`; "Sergey"/"Sergei", "Dmitry"/"Dmitri",
//! "Aleksandr"/"Alexander" agree the same way, while "Bill" and "Hillary"
//! Clinton, or "Donald" and "Melania" Trump, do not. A bare surname gets
//! `per:<surname>`; a [`Registry`] links it to the one full name known with
//! that surname, or keeps it apart and lists the candidates when there are
//! several. Other entities are keyed by their folded name, with a few
//! well-known equivalences (U.S. = United States = America).

use onrecord_core::EntityKind;
use std::collections::{BTreeMap, BTreeSet};

/// Folds transliteration variants: ASCII, lower case, `y`→`i`, `x`→`ks`,
/// `kh`→`h`, `ou`→`u`, `ck`→`k`, `ph`→`f`, final `j`→`i`, doubled letters once.
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len() + 2);
    fold_into(word, &mut out);
    out
}

/// Appends [`fold`] of `word` to `out`, with one buffer for the ASCII
/// letters and digits and no other allocation (for an ASCII word).
fn fold_into(word: &str, out: &mut String) {
    let mut b: Vec<u8> = Vec::new();
    let letters: &[u8] = if word.is_ascii() && word.bytes().all(|c| c.is_ascii_alphanumeric()) {
        word.as_bytes()
    } else {
        let mut push = |c: char| {
            if c.is_ascii_alphanumeric() {
                b.push(c as u8);
            }
        };
        if word.is_ascii() {
            word.chars().for_each(&mut push);
        } else {
            any_ascii::any_ascii(word).chars().for_each(&mut push);
        }
        &b
    };
    // one pass of rewrites; a letter the same as the one before it (in
    // this word's output) is written once
    let start = out.len();
    let mut put = |c: u8| {
        if out.len() == start || out.as_bytes()[out.len() - 1] != c {
            out.push(c as char);
        }
    };
    let mut i = 0;
    while i < letters.len() {
        let c = letters[i].to_ascii_lowercase();
        let next = letters.get(i + 1).map(u8::to_ascii_lowercase);
        let step = match (c, next) {
            (b'k', Some(b'h')) => {
                put(b'h');
                2
            }
            (b'c', Some(b'k')) => {
                put(b'k');
                2
            }
            (b'p', Some(b'h')) => {
                put(b'f');
                2
            }
            (b'o', Some(b'u')) => {
                put(b'u');
                2
            }
            (b'x', _) => {
                put(b'k');
                put(b's');
                1
            }
            (b'y', _) => {
                put(b'i');
                1
            }
            (b'j', None) => {
                put(b'i');
                1
            }
            _ => {
                put(c);
                1
            }
        };
        i += step;
    }
}

/// The consonant skeleton of a folded given name, keeping its first letter
/// and a final vowel ("ivan" → "ivn", "ivana" → "ivna").
pub fn skeleton(word: &str) -> String {
    let f = fold(word);
    let mut out = String::new();
    let n = f.chars().count();
    for (i, c) in f.chars().enumerate() {
        let vowel = matches!(c, 'a' | 'e' | 'i' | 'o' | 'u');
        if i == 0 || !vowel || (i == n - 1 && n > 2) {
            out.push(c);
        }
    }
    out
}

const SUFFIXES: &[&str] = &["jr", "sr", "ii", "iii", "iv"];

/// The name parts of a person mention: words only, no initials-only dots,
/// no suffixes like "Jr.".
pub fn person_parts(name: &str) -> Vec<&str> {
    let mut parts: Vec<&str> = words(name).collect();
    while parts.len() > 1 && parts.last().is_some_and(|w| is_suffix(w)) {
        parts.pop();
    }
    parts
}

/// `person_parts(name).len()`, without collecting the parts.
pub fn count_person_parts(name: &str) -> usize {
    let (mut total, mut trailing) = (0usize, 0usize);
    for w in words(name) {
        total += 1;
        trailing = if is_suffix(w) { trailing + 1 } else { 0 };
    }
    // suffixes are dropped from the end, but never the first part
    total - trailing.min(total.saturating_sub(1))
}

/// The words of a name (with a letter; split at spaces, brackets, commas).
fn words(name: &str) -> impl Iterator<Item = &str> {
    name.split(|c: char| c.is_whitespace() || matches!(c, '[' | ']' | '(' | ')' | ','))
        .filter(|w| w.chars().any(char::is_alphabetic))
}

/// "Jr.", "III": a suffix after a name.
fn is_suffix(w: &str) -> bool {
    let w = w.trim_end_matches('.');
    if w.is_ascii() {
        SUFFIXES.iter().any(|s| w.eq_ignore_ascii_case(s))
    } else {
        SUFFIXES.contains(&w.to_lowercase().as_str())
    }
}

/// A person's key, `per:<surname>` or `per:<surname>:<given skeleton>`.
pub fn person_key(name: &str) -> String {
    let parts = person_parts(name);
    match parts.as_slice() {
        [] => format!("per:{}", fold(name)),
        [one] => format!("per:{}", fold(one)),
        [given, .., surname] => format!("per:{}:{}", fold(surname), skeleton(given)),
    }
}

/// The surname part of a person key.
pub fn key_surname(key: &str) -> &str {
    key.trim_start_matches("per:")
        .split(':')
        .next()
        .unwrap_or("")
}

/// Well-known names of one place or body.
fn canonical(folded: &str) -> &str {
    match folded {
        "us" | "usa" | "unitedstates" | "unitedstatesofamerica" | "america" => "unitedstates",
        "uk" | "britain" | "greatbritain" | "unitedkingdom" => "unitedkingdom",
        "russianfederation" => "russia",
        "eu" | "europeanunion" => "europeanunion",
        "un" | "unitednations" => "unitednations",
        "nato" | "northatlantictreatyorganization" => "nato",
        other => other,
    }
}

/// The key of an organisation, place or other named thing. It does not
/// depend on the type: news uses one name for a country and its
/// government ("the U.S." as a place and as an actor), and taggers
/// disagree on which it is, so they share one identity.
pub fn thing_key(name: &str) -> String {
    let mut words = name.split_whitespace().peekable();
    if words.peek().is_some_and(|w| w.eq_ignore_ascii_case("the")) {
        words.next();
    }
    let mut folded = String::with_capacity(name.len() + 4);
    for w in words {
        fold_into(w, &mut folded);
    }
    let c = canonical(&folded);
    let mut key = String::with_capacity(c.len() + 2);
    key.push_str("n:");
    key.push_str(c);
    key
}

pub fn key(kind: EntityKind, name: &str) -> String {
    match kind {
        EntityKind::Person => person_key(name),
        _ => thing_key(name),
    }
}

/// Full-name persons seen so far (in a run, or in the store), by surname:
/// used to give a bare surname the id of the one person it can be.
#[derive(Debug, Default, Clone)]
pub struct Registry {
    by_surname: BTreeMap<String, BTreeSet<String>>,
    /// The role heads ("president", "minister") each full-name person has
    /// been given, with how many times, to tell apart people who share a
    /// surname.
    roles: BTreeMap<String, BTreeMap<String, u32>>,
}

/// How much more often the one person must have had a title than anyone
/// else of the surname for a bare "President Obama" to be that person.
pub const TITLE_MARGIN: u32 = 4;

/// The head of a role title, lower-cased: "Foreign Minister" → "minister".
pub fn role_head(title: &str) -> String {
    title
        .split(|c: char| !c.is_alphanumeric())
        .rfind(|w| !w.is_empty())
        .unwrap_or("")
        .to_lowercase()
}

/// What a bare surname resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// Exactly one known person has this surname.
    One(String),
    /// Several do: keep the surname's own id and list these.
    Several(Vec<String>),
    None,
}

impl Registry {
    /// Records a full-name person key (`per:<surname>:<given>`).
    pub fn add(&mut self, key: &str) {
        if key.starts_with("per:") && key.matches(':').count() == 2 {
            self.by_surname
                .entry(key_surname(key).to_string())
                .or_default()
                .insert(key.to_string());
        }
    }

    /// Records that the full-name person `key` was given the role `title`
    /// `times` times.
    pub fn add_role(&mut self, key: &str, title: &str, times: u32) {
        let head = role_head(title);
        if key.starts_with("per:") && key.matches(':').count() == 2 && !head.is_empty() {
            *self
                .roles
                .entry(key.to_string())
                .or_default()
                .entry(head)
                .or_default() += times;
        }
    }

    /// [`Registry::lookup_surname`], where several people share the
    /// surname: the one given the bare surname's own titles in its document
    /// ("President Obama") far more often than any other (at least
    /// [`TITLE_MARGIN`] times as often, and at least twice).
    pub fn lookup_surname_titled(&self, surname_key: &str, titles: &[String]) -> Lookup {
        match self.lookup_surname(surname_key) {
            Lookup::Several(c) if !titles.is_empty() => {
                let heads: BTreeSet<String> = titles.iter().map(|t| role_head(t)).collect();
                let score = |k: &String| -> u32 {
                    self.roles.get(k).map_or(0, |r| {
                        heads.iter().map(|h| r.get(h).copied().unwrap_or(0)).sum()
                    })
                };
                let mut scored: Vec<(u32, &String)> = c.iter().map(|k| (score(k), k)).collect();
                scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
                match scored.as_slice() {
                    [(best, k), rest @ ..]
                        if *best >= 2 && rest.iter().all(|(s, _)| best >= &(s * TITLE_MARGIN)) =>
                    {
                        Lookup::One((*k).clone())
                    }
                    _ => Lookup::Several(c),
                }
            }
            other => other,
        }
    }

    pub fn lookup_surname(&self, surname_key: &str) -> Lookup {
        match self.by_surname.get(key_surname(surname_key)) {
            Some(s) if s.len() == 1 => Lookup::One(s.iter().next().cloned().unwrap_or_default()),
            Some(s) if s.len() > 1 => Lookup::Several(s.iter().cloned().collect()),
            _ => Lookup::None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliteration_variants_share_a_key() {
        for (a, b) in [
            ("Yuri Ushakov", "Yury Ushakov"),
            ("Yuri Ushakov", "Iouri Ushakov"),
            ("Sergey Lavrov", "Sergei Lavrov"),
            ("Dmitry Peskov", "Dmitri Peskov"),
            ("Volodymyr Zelensky", "Volodymyr Zelenskyy"),
            ("Volodymyr Zelensky", "Volodymyr Zelenskiy"),
            ("Aleksandr Lukashenko", "Alexander Lukashenko"),
            ("Sergej Shoigu", "Sergei Shoygu"),
        ] {
            assert_eq!(person_key(a), person_key(b), "{a} / {b}");
        }
    }

    #[test]
    fn different_people_with_one_surname_stay_apart() {
        for (a, b) in [
            ("Bill Clinton", "Hillary Clinton"),
            ("Donald Trump", "Melania Trump"),
            ("Ivan Trump", "Ivana Trump"),
            ("Donald Trump", "Donald Trump Jr"),
        ] {
            let (ka, kb) = (person_key(a), person_key(b));
            if b.ends_with("Jr") {
                // a suffix is dropped from the key: father and son are told
                // apart by the registry's candidates, not by the key
                assert_eq!(ka, kb);
            } else {
                assert_ne!(ka, kb, "{a} / {b}");
            }
        }
    }

    #[test]
    fn places_have_one_key() {
        let k = thing_key;
        assert_eq!(k("U.S."), k("United States"));
        assert_eq!(k("the United States"), k("US"));
        assert_ne!(k("Russia"), k("Belarus"));
    }

    #[test]
    fn a_title_tells_apart_people_who_share_a_surname() {
        let mut r = Registry::default();
        let barack = person_key("Barack Obama");
        let michelle = person_key("Michelle Obama");
        r.add(&barack);
        r.add(&michelle);
        r.add_role(&barack, "President", 17);
        r.add_role(&michelle, "first lady", 3);
        r.add_role(&michelle, "President", 1); // a title given by mistake
        let bare = person_key("Obama");
        assert_eq!(
            r.lookup_surname_titled(&bare, &["President".into()]),
            Lookup::One(barack.clone())
        );
        // no title, or one neither has: still both
        assert!(matches!(
            r.lookup_surname_titled(&bare, &[]),
            Lookup::Several(_)
        ));
        assert!(matches!(
            r.lookup_surname_titled(&bare, &["Senator".into()]),
            Lookup::Several(_)
        ));
        // a title both have about as often tells nothing
        r.add_role(&michelle, "President", 10);
        assert!(matches!(
            r.lookup_surname_titled(&bare, &["President".into()]),
            Lookup::Several(_)
        ));
    }

    #[test]
    fn registry_links_a_surname_only_when_unambiguous() {
        let mut r = Registry::default();
        r.add(&person_key("Sergey Lavrov"));
        r.add(&person_key("Bill Clinton"));
        r.add(&person_key("Hillary Clinton"));
        assert_eq!(
            r.lookup_surname(&person_key("Lavrov")),
            Lookup::One(person_key("Sergei Lavrov"))
        );
        assert!(
            matches!(r.lookup_surname(&person_key("Clinton")), Lookup::Several(v) if v.len() == 2)
        );
        assert_eq!(r.lookup_surname(&person_key("Rubio")), Lookup::None);
    }
}

#[cfg(test)]
mod fold_tests {
    use super::*;

    /// `fold` as first written (three buffers), for comparison.
    fn fold_reference(word: &str) -> String {
        let mut b: Vec<u8> = Vec::with_capacity(word.len() + 4);
        let mut push = |c: char| {
            if c.is_ascii_alphanumeric() {
                b.push(c.to_ascii_lowercase() as u8);
            }
        };
        if word.is_ascii() {
            word.chars().for_each(&mut push);
        } else {
            any_ascii::any_ascii(word).chars().for_each(&mut push);
        }
        let mut out = String::with_capacity(b.len() + 2);
        let mut i = 0;
        while i < b.len() {
            let (c, next) = (b[i], b.get(i + 1).copied());
            let step = match (c, next) {
                (b'k', Some(b'h')) => {
                    out.push('h');
                    2
                }
                (b'c', Some(b'k')) => {
                    out.push('k');
                    2
                }
                (b'p', Some(b'h')) => {
                    out.push('f');
                    2
                }
                (b'o', Some(b'u')) => {
                    out.push('u');
                    2
                }
                (b'x', _) => {
                    out.push_str("ks");
                    1
                }
                (b'y', _) => {
                    out.push('i');
                    1
                }
                (b'j', None) => {
                    out.push('i');
                    1
                }
                _ => {
                    out.push(c as char);
                    1
                }
            };
            i += step;
        }
        let mut dedup = String::with_capacity(out.len());
        for c in out.chars() {
            if !dedup.ends_with(c) {
                dedup.push(c);
            }
        }
        dedup
    }

    #[test]
    fn counted_parts_match() {
        for n in [
            "",
            "Putin",
            "Vladimir Putin",
            "Martin Luther King Jr.",
            "John Smith III",
            "Jr.",
            "Jr. Sr.",
            "Sr. Smith Jr",
            "[Vladimir] Zelensky",
            "Sergey V. Lavrov",
            "A. B. C.",
            "Hans-Jürgen Müller Jr.",
            "II III",
            "Smith ii",
        ] {
            assert_eq!(count_person_parts(n), person_parts(n).len(), "{n:?}");
        }
    }

    #[test]
    fn fold_matches_the_reference() {
        for w in [
            "",
            "Yuri",
            "Yury",
            "Ushakov",
            "Khodorkovsky",
            "Zelenskyy",
            "Zelensky’s",
            "Ph.D.",
            "Alexander",
            "Aleksandr",
            "Xi",
            "Marx",
            "Dijon",
            "Raj",
            "Hajj",
            "Kacxks",
            "OUTLOOK",
            "Müller",
            "Łukaszenka",
            "Lavrov's",
            "U.S.",
            "Bookkeeper",
            "a-b-c",
            "kkh",
            "xks",
            "Sergey",
            "Sergei",
            "Dmitry",
            "Dmitri",
            "Peskov",
            "Naryshkin",
            "Shoigu",
            "Jj",
        ] {
            assert_eq!(fold(w), fold_reference(w), "{w:?}");
        }
        let words = ["The", "United", "States"];
        assert_eq!(thing_key(&words.join(" ")), "n:unitedstates");
    }
}
