//! Name keys: case- and accent-insensitive forms for matching names.

/// Folds a name to lower-case ASCII words separated by single spaces
/// ("Sergéy  LAVROV" → "sergey lavrov"); punctuation becomes a word break.
pub fn fold(s: &str) -> String {
    let ascii = any_ascii::any_ascii(s);
    let mut out = String::with_capacity(ascii.len());
    for word in ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
    }
    out
}

/// [`fold`] padded with a space on each side (" sergey lavrov "), the form
/// stored in key columns so that `LIKE '% lavrov %'` matches whole words.
pub fn fold_key(s: &str) -> String {
    format!(" {} ", fold(s))
}

const PRONOUNS: &[&str] = &[
    "i", "me", "we", "us", "you", "he", "him", "she", "her", "it", "they", "them", "one", "who",
    "this", "that", "these", "those", "some", "others", "many", "most",
];

/// Whether an unlinked speaker name reads like a person's name: every word
/// capitalised (particles such as "de", "van", "al" aside), at most five
/// words, and not a pronoun. "Yuri Ushakov" and "Lavrov" do; "he",
/// "officials say" and "the ministry spokesman" do not.
pub fn looks_like_name(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.is_empty() || words.len() > 5 {
        return false;
    }
    if words.len() == 1 && PRONOUNS.contains(&fold(words[0]).as_str()) {
        return false;
    }
    let particles = [
        "de", "da", "del", "der", "van", "von", "al", "bin", "la", "le", "di",
    ];
    let mut capitalised = 0;
    for w in &words {
        match w.chars().next() {
            Some(c) if c.is_uppercase() => capitalised += 1,
            Some(_) if particles.contains(w) => {}
            _ => return false,
        }
    }
    capitalised > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_and_punctuation() {
        assert_eq!(fold("Sergéy  LAVROV"), "sergey lavrov");
        assert_eq!(fold("Юрий Ушаков"), "yuriy ushakov");
        assert_eq!(fold("O'Brien-Smith, Jr."), "o brien smith jr");
        assert_eq!(fold_key("Ushakov"), " ushakov ");
        assert_eq!(fold(""), "");
    }

    #[test]
    fn name_heuristic() {
        assert!(looks_like_name("Yuri Ushakov"));
        assert!(looks_like_name("Lavrov"));
        assert!(looks_like_name("Ursula von der Leyen"));
        assert!(!looks_like_name("He"));
        assert!(!looks_like_name("officials"));
        assert!(!looks_like_name("the ministry spokesman"));
        assert!(!looks_like_name(""));
    }
}
