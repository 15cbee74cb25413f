//! Line-level heuristics for seed-style boilerplate: site navigation,
//! photo credits, author and editor footers.

/// Whether the rest of a seed date line is site navigation ("World Russia
/// Society Opinion Science Sport Incidents Business"): 1 to 20 words, each
/// capitalised and made of letters (or `-&'’`), no sentence punctuation;
/// lone separators such as `|` or `&` are allowed between them.
pub(crate) fn is_navigation(rest: &str) -> bool {
    let mut words = 0;
    for w in rest.split_whitespace() {
        if matches!(w, "&" | "|" | "/" | "-" | "–" | "—" | "·" | "•" | "»" | ">") {
            continue;
        }
        words += 1;
        if words > 20 || !w.starts_with(char::is_uppercase) {
            return false;
        }
        if !w
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, '-' | '&' | '\'' | '’'))
        {
            return false;
        }
    }
    words > 0
}

fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.get(..prefix.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
}

/// A photo credit line ("Photo: commons.wikimedia.org by ...").
pub(crate) fn is_photo_credit(line: &str) -> bool {
    let t = line.trim_start();
    ["photo:", "photos:", "photo :", "photo credit:", "image:"]
        .iter()
        .any(|p| starts_with_ci(t, p))
}

/// Whether a line can be the image title shown above a photo credit
/// ("Trump, Putin Alaska Arrival (9260677)"): short and on one line.
pub(crate) fn is_image_title(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && t.chars().count() <= 200 && t.split_whitespace().count() <= 25
}

/// An author or editor footer line.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Footer {
    Authors(Vec<String>),
    Editor(String),
}

const AUTHOR_PREFIXES: &[&str] = &[
    "Author`s name",
    "Author's name",
    "Author’s name",
    "Authors' names",
    "Authors’ names",
    "Authors:",
    "Author:",
];
const EDITOR_PREFIXES: &[&str] = &["Editor:", "Editor", "Edited by"];

/// Recognises a short footer line: "Author`s name Pavel Morozov",
/// "Author: A. Smith", "Editor Dmitry Sudakov", "Editor: X". The rest of
/// the line must be a list of names (capitalised words), so prose that
/// merely starts with "Editor" is not taken.
pub(crate) fn footer(line: &str) -> Option<Footer> {
    let t = line.trim();
    if t.chars().count() > 100 {
        return None;
    }
    if let Some(rest) = after_prefix(t, AUTHOR_PREFIXES) {
        return names(rest).map(Footer::Authors);
    }
    if let Some(rest) = after_prefix(t, EDITOR_PREFIXES) {
        let rest = rest.trim_end_matches('.');
        return is_name(rest).then(|| Footer::Editor(rest.trim().to_string()));
    }
    None
}

fn after_prefix<'a>(t: &'a str, prefixes: &[&str]) -> Option<&'a str> {
    prefixes.iter().find_map(|p| {
        let rest = t.strip_prefix(p)?;
        // "Editor" must be a whole word: "Editorial ..." is not a footer.
        if !p.ends_with(':') && !rest.starts_with([' ', '\t', ':', '\u{a0}']) {
            return None;
        }
        Some(
            rest.trim_start_matches([' ', '\t', '\u{a0}'])
                .trim_start_matches(':')
                .trim(),
        )
    })
}

/// "A, B and C" as names; `None` unless every part is a name.
fn names(s: &str) -> Option<Vec<String>> {
    let s = s.trim_end_matches('.');
    let mut out = Vec::new();
    for part in s
        .split([',', ';'])
        .flat_map(|p| p.split(" and "))
        .flat_map(|p| p.split(" & "))
    {
        let part = part.trim();
        if !is_name(part) {
            return None;
        }
        out.push(part.to_string());
    }
    (!out.is_empty()).then_some(out)
}

const PARTICLES: &[&str] = &[
    "de", "da", "van", "von", "der", "den", "la", "le", "al", "bin", "ibn", "di", "du",
];

/// One to five words, capitalised (or name particles), letters and `.-'’`.
fn is_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.is_empty() || words.len() > 5 {
        return false;
    }
    let ok_chars = |w: &str| {
        w.chars()
            .all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '’'))
    };
    words
        .iter()
        .all(|w| ok_chars(w) && (w.starts_with(char::is_uppercase) || PARTICLES.contains(w)))
        && words.iter().any(|w| w.starts_with(char::is_uppercase))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn navigation() {
        assert!(is_navigation(
            "World Russia Society Opinion Science Sport Incidents Business"
        ));
        assert!(is_navigation("News | World | Politics"));
        assert!(is_navigation("News & Politics Opinion"));
        assert!(is_navigation("World"));
        assert!(!is_navigation(""));
        assert!(!is_navigation(
            "MOSCOW, February 11. /TASS/. Russian President Vladimir Putin"
        ));
        assert!(!is_navigation(
            "Moscow Confirms U.S. Still Committed to Alaska Summit"
        ));
        assert!(!is_navigation("Putin Said: \"No\""));
        assert!(!is_navigation("World Russia “Society”"));
        assert!(!is_navigation("The president said he would go"));
        assert!(!is_navigation("World Russia 2025"));
        let long = vec!["Word"; 21].join(" ");
        assert!(!is_navigation(&long));
        assert!(is_navigation(&vec!["Word"; 20].join(" ")));
    }

    #[test]
    fn photo() {
        assert!(is_photo_credit(
            "Photo: commons.wikimedia.org by Benjamin D Applebaum"
        ));
        assert!(is_photo_credit("  PHOTO: Reuters"));
        assert!(is_photo_credit("Photo credit: AP"));
        assert!(!is_photo_credit("Photographers gathered outside"));
        assert!(!is_photo_credit("Pho"));
        assert!(is_image_title("Trump, Putin Alaska Arrival (9260677)"));
        assert!(!is_image_title("   "));
    }

    #[test]
    fn footers() {
        assert_eq!(
            footer("Author`s name Pavel Morozov"),
            Some(Footer::Authors(vec!["Pavel Morozov".into()]))
        );
        assert_eq!(
            footer("Author's name Pavel Morozov"),
            Some(Footer::Authors(vec!["Pavel Morozov".into()]))
        );
        assert_eq!(
            footer("Author’s name Pavel Morozov "),
            Some(Footer::Authors(vec!["Pavel Morozov".into()]))
        );
        assert_eq!(
            footer("Author: Anna Smith and Ludwig van Beethoven"),
            Some(Footer::Authors(vec![
                "Anna Smith".into(),
                "Ludwig van Beethoven".into()
            ]))
        );
        assert_eq!(
            footer("Editor Dmitry Sudakov"),
            Some(Footer::Editor("Dmitry Sudakov".into()))
        );
        assert_eq!(
            footer("Editor: Dmitry Sudakov."),
            Some(Footer::Editor("Dmitry Sudakov".into()))
        );
        assert_eq!(footer("Editor of the paper said he would resign."), None);
        assert_eq!(footer("Editorial Board"), None);
        assert_eq!(footer("Editor"), None);
        assert_eq!(footer("Author: the team"), None);
        assert_eq!(footer("Editor John Smith said the newspaper would publish the letters in full tomorrow morning after a review."), None);
    }
}
