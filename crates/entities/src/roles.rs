//! Roles and titles: "Kremlin aide Yuri Ushakov" → "Kremlin aide";
//! "Dmitry Peskov, the Kremlin spokesman," → "Kremlin spokesman"; and
//! descriptions that stand for a person ("the top diplomat").

/// Nouns that head a role; plural forms map to these.
const HEADS: &[&str] = &[
    "president",
    "minister",
    "aide",
    "secretary",
    "envoy",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "chancellor",
    "leader",
    "senator",
    "governor",
    "mayor",
    "ambassador",
    "adviser",
    "advisor",
    "director",
    "chairman",
    "chairwoman",
    "chair",
    "chief",
    "counterpart",
    "diplomat",
    "official",
    "premier",
    "king",
    "queen",
    "prince",
    "general",
    "commander",
    "judge",
    "candidate",
    "nominee",
    "representative",
    "congressman",
    "congresswoman",
    "ceo",
    "head",
    "lawmaker",
    "speaker",
    "negotiator",
    "mediator",
    "prosecutor",
    "attorney",
    "commissioner",
    "deputy",
    "assistant",
    "coordinator",
    "founder",
    "executive",
    "economist",
    "analyst",
    "correspondent",
    "editor",
    "reporter",
    "spokesperson",
    "strategist",
    "pope",
    "sheikh",
    "emir",
    "dictator",
    "mogul",
    "billionaire",
    "businessman",
    "businesswoman",
];

/// Lower-case words that may stand inside a role before its head.
const MODIFIERS: &[&str] = &[
    "special",
    "foreign",
    "deputy",
    "top",
    "senior",
    "former",
    "chief",
    "prime",
    "vice",
    "defense",
    "defence",
    "press",
    "national",
    "security",
    "state",
    "finance",
    "presidential",
    "first",
    "acting",
    "interior",
    "economy",
    "economic",
    "trade",
    "justice",
    "health",
    "energy",
    "education",
    "attorney",
    "general",
    "white",
    "house",
    "then",
    "incoming",
    "outgoing",
    "longtime",
    "veteran",
    "executive",
    "managing",
    "political",
    "military",
    "policy",
    "campaign",
    "communications",
    "foreign-policy",
    "presidential",
];

/// Nationality words and the place names they agree with.
const NATIONALITIES: &[(&str, &[&str])] = &[
    (
        "american",
        &[
            "us",
            "u.s.",
            "american",
            "united states",
            "america",
            "washington",
            "white house",
        ],
    ),
    (
        "us",
        &[
            "us",
            "u.s.",
            "american",
            "united states",
            "america",
            "washington",
            "white house",
        ],
    ),
    (
        "u.s.",
        &[
            "us",
            "u.s.",
            "american",
            "united states",
            "america",
            "washington",
            "white house",
        ],
    ),
    ("russian", &["russia", "russian", "kremlin", "moscow"]),
    ("ukrainian", &["ukraine", "ukrainian", "kyiv", "kiev"]),
    ("british", &["britain", "british", "uk", "u.k.", "london"]),
    ("chinese", &["china", "chinese", "beijing"]),
    ("french", &["france", "french", "paris", "elysee"]),
    ("german", &["germany", "german", "berlin"]),
];

/// The singular head for a (possibly plural, capitalised) role word.
/// The length of the longest head.
const MAX_HEAD: usize = {
    let (mut m, mut i) = (0, 0);
    while i < HEADS.len() {
        if HEADS[i].len() > m {
            m = HEADS[i].len();
        }
        i += 1;
    }
    m
};

pub fn head(word: &str) -> Option<&'static str> {
    let t = word.trim_end_matches('.');
    if t.is_ascii() {
        return head_ascii(t.as_bytes());
    }
    let w = t.to_lowercase();
    let sing = w
        .strip_suffix("ies")
        .map(|s| format!("{s}y"))
        .into_iter()
        .chain(w.strip_suffix('s').map(str::to_string))
        .chain(std::iter::once(w.clone()));
    for s in sing {
        if let Some(h) = HEADS.iter().find(|h| **h == s) {
            return Some(h);
        }
    }
    None
}

/// For each length, the first letters of the heads of that length (bit
/// `c - b'a'`).
fn head_firsts() -> &'static [u32; MAX_HEAD + 3] {
    static FIRSTS: std::sync::OnceLock<[u32; MAX_HEAD + 3]> = std::sync::OnceLock::new();
    FIRSTS.get_or_init(|| {
        let mut t = [0u32; MAX_HEAD + 3];
        for h in HEADS {
            let c = h.as_bytes()[0];
            assert!(c.is_ascii_lowercase() && h.bytes().all(|b| b.is_ascii_lowercase()));
            t[h.len()] |= 1 << (c - b'a');
        }
        t
    })
}

/// [`head`] of an ASCII word without its final dots, without allocating:
/// the same candidates in the same order.
fn head_ascii(t: &[u8]) -> Option<&'static str> {
    const N: usize = MAX_HEAD + 3;
    // longer than any head and its plural: none
    if t.len() > MAX_HEAD + 2 {
        return None;
    }
    let mut w = [0u8; N];
    let w = &mut w[..t.len()];
    w.copy_from_slice(t);
    w.make_ascii_lowercase();
    // most words are no head: first the letters heads of their length start with
    let firsts = head_firsts();
    let find = |s: &[u8]| {
        let maybe = match s.first() {
            Some(&c @ b'a'..=b'z') => firsts[s.len()] & (1 << (c - b'a')) != 0,
            _ => false,
        };
        if maybe {
            HEADS.iter().copied().find(|h| h.as_bytes() == s)
        } else {
            None
        }
    };
    if let Some(stem) = w.strip_suffix(b"ies") {
        let mut y = [0u8; N];
        y[..stem.len()].copy_from_slice(stem);
        y[stem.len()] = b'y';
        if let Some(h) = find(&y[..stem.len() + 1]) {
            return Some(h);
        }
    }
    if let Some(h) = w.strip_suffix(b"s").and_then(find) {
        return Some(h);
    }
    find(w)
}

pub fn is_plural_head(word: &str) -> bool {
    let w = word.to_lowercase();
    head(&w).is_some_and(|h| h != w)
}

/// May stand in a role before its head: a modifier, a capitalised word
/// ("Kremlin", "Foreign", "US"), or a nationality.
pub fn is_modifier(word: &str) -> bool {
    if word.is_ascii() {
        return is_modifier_ascii(word);
    }
    is_modifier_any(word)
}

/// [`is_modifier`] of an ASCII word, lower-cased on the stack.
fn is_modifier_ascii(word: &str) -> bool {
    const N: usize = 32;
    let upper = word.as_bytes().first().is_some_and(u8::is_ascii_uppercase);
    if word.len() > N {
        // longer than any word listed (checked in the tests)
        return upper;
    }
    let mut buf = [0u8; N];
    let b = &mut buf[..word.len()];
    b.copy_from_slice(word.as_bytes());
    b.make_ascii_lowercase();
    let w = std::str::from_utf8(b).unwrap_or("");
    MODIFIERS.contains(&w)
        || NATIONALITIES.iter().any(|(n, _)| *n == w)
        || (upper && !matches!(w, "the" | "a" | "an" | "and" | "of" | "in" | "at" | "on"))
}

fn is_modifier_any(word: &str) -> bool {
    let w = word.to_lowercase();
    MODIFIERS.contains(&w.as_str())
        || NATIONALITIES.iter().any(|(n, _)| *n == w)
        || (word.chars().next().is_some_and(char::is_uppercase)
            && !matches!(
                w.as_str(),
                "the" | "a" | "an" | "and" | "of" | "in" | "at" | "on"
            ))
}

/// Words a description's head may match in a role title.
pub fn synonyms(head: &str) -> &'static [&'static str] {
    match head {
        "diplomat" => &["minister", "secretary", "ambassador", "diplomat", "envoy"],
        "president" | "leader" => &["president", "leader", "premier", "chancellor"],
        "aide" | "adviser" | "advisor" | "assistant" => {
            &["aide", "adviser", "advisor", "assistant"]
        }
        "spokesman" | "spokeswoman" | "spokesperson" => {
            &["spokesman", "spokeswoman", "spokesperson"]
        }
        "official" => &["official", "minister", "secretary", "aide"],
        "chief" | "head" => &["chief", "head", "director", "chairman", "president"],
        "minister" => &["minister"],
        "envoy" => &["envoy"],
        "secretary" => &["secretary"],
        _ => &[],
    }
}

/// Does a description ("the Russian president": modifiers `["russian"]`,
/// head `"president"`) fit a person with these role titles and context
/// words (lower case: roles, affiliations)?
pub fn description_fits(mods: &[String], head: &str, roles: &[String]) -> bool {
    let syn = synonyms(head);
    let head_ok = roles.iter().any(|r| {
        r.split_whitespace()
            .any(|w| w == head || syn.contains(&w) || self::head(w) == Some(head))
    });
    if !head_ok {
        return false;
    }
    if mods.is_empty() {
        return true;
    }
    // whole words only: "us" must not match inside "russian"
    let all = format!(" {} ", roles.join(" "));
    let has = |p: &str| all.contains(&format!(" {p} "));
    mods.iter().all(|m| {
        if let Some((_, places)) = NATIONALITIES.iter().find(|(n, _)| n == m) {
            places.iter().any(|p| has(p))
        } else if matches!(m.as_str(), "top" | "senior" | "former" | "chief") {
            true
        } else {
            has(m)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_and_plurals() {
        assert_eq!(head("Presidents"), Some("president"));
        assert_eq!(head("aide"), Some("aide"));
        assert_eq!(head("Secretaries"), Some("secretary"));
        assert!(is_plural_head("Presidents"));
        assert!(!is_plural_head("President"));
        assert_eq!(head("Ushakov"), None);
    }

    #[test]
    fn descriptions_fit_titles() {
        let lavrov = vec![
            "foreign minister".to_string(),
            "russian foreign minister".to_string(),
        ];
        assert!(description_fits(&[], "diplomat", &lavrov));
        assert!(description_fits(&["foreign".into()], "minister", &lavrov));
        assert!(description_fits(&["top".into()], "diplomat", &lavrov));
        assert!(!description_fits(&["american".into()], "diplomat", &lavrov));
        let trump = vec![
            "president".to_string(),
            "us counterpart".to_string(),
            "us leader".to_string(),
        ];
        assert!(description_fits(&["american".into()], "leader", &trump));
        assert!(!description_fits(&["russian".into()], "president", &trump));
    }
}

#[cfg(test)]
mod head_tests {
    use super::*;

    #[test]
    fn ascii_modifiers_match() {
        assert!(MODIFIERS
            .iter()
            .chain(NATIONALITIES.iter().map(|(n, _)| n))
            .all(|w| w.len() <= 32));
        let mut words: Vec<String> = MODIFIERS
            .iter()
            .chain(NATIONALITIES.iter().map(|(n, _)| n))
            .flat_map(|w| [w.to_string(), w.to_uppercase(), format!("{w}s")])
            .collect();
        words.extend(
            [
                "",
                "The",
                "the",
                "Kremlin",
                "US",
                "of",
                "On",
                "x",
                "Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            ]
            .map(String::from),
        );
        for w in &words {
            assert_eq!(is_modifier_ascii(w), is_modifier_any(w), "{w:?}");
        }
    }

    /// The ASCII path finds what the general one does.
    #[test]
    fn ascii_heads_match() {
        let general = |word: &str| -> Option<&'static str> {
            let w = word.trim_end_matches('.').to_lowercase();
            let sing = w
                .strip_suffix("ies")
                .map(|s| format!("{s}y"))
                .into_iter()
                .chain(w.strip_suffix('s').map(str::to_string))
                .chain(std::iter::once(w.clone()));
            for s in sing {
                if let Some(h) = HEADS.iter().find(|h| **h == s) {
                    return Some(h);
                }
            }
            None
        };
        let mut words: Vec<String> = HEADS
            .iter()
            .flat_map(|h| {
                [
                    h.to_string(),
                    format!("{h}s"),
                    h.to_uppercase(),
                    format!("{h}."),
                ]
            })
            .collect();
        words.extend(
            [
                "",
                "s",
                "ies",
                "Secretaries",
                "deputies",
                "Mr.",
                "said",
                "the",
                "Presidents",
                "x",
            ]
            .map(String::from),
        );
        for w in &words {
            assert_eq!(head(w), general(w), "{w:?}");
        }
    }
}
