//! The language of a document: detected from its text (`whatlang`, trigram
//! models of 69 languages), else as the input declares it.

/// How much of the prose detection reads (the start of the article: enough
/// for a confident answer, bounded cost per document).
const SAMPLE_BYTES: usize = 4096;

/// The language of `text` as ISO 639-1 (`en`, `de`), when detection is
/// confident; `None` for short or mixed text.
pub fn detect_language(text: &str) -> Option<&'static str> {
    let mut end = text.len().min(SAMPLE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let info = whatlang::detect(&text[..end])?;
    if !info.is_reliable() {
        return None;
    }
    iso639_1(info.lang().code())
}

/// The language a document is taken to be in: the detected one when
/// detection is confident, else the declared one (normalised: `en-US`,
/// `EN`, `eng` → `en`), else none.
pub(crate) fn choose(declared: Option<&str>, text: &str) -> Option<String> {
    detect_language(text)
        .map(str::to_string)
        .or_else(|| declared.and_then(normalise))
}

/// A declared language tag as ISO 639-1: the primary subtag of a BCP 47
/// tag (`en-GB`, `pt_BR`), lower-cased, or a three-letter code mapped to
/// its two-letter one. Anything else is `None`.
pub fn normalise(tag: &str) -> Option<String> {
    let primary = tag
        .trim()
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match primary.len() {
        2 if primary.bytes().all(|b| b.is_ascii_lowercase()) => Some(primary),
        3 => iso639_1(&primary).map(str::to_string),
        _ => None,
    }
}

/// ISO 639-3 (as whatlang names languages, plus the bibliographic codes
/// some inputs use) to ISO 639-1.
fn iso639_1(code: &str) -> Option<&'static str> {
    Some(match code {
        "afr" => "af",
        "aka" => "ak",
        "amh" => "am",
        "ara" => "ar",
        "aze" => "az",
        "bel" => "be",
        "ben" => "bn",
        "bul" => "bg",
        "cat" => "ca",
        "ces" | "cze" => "cs",
        "cmn" | "zho" | "chi" => "zh",
        "cym" | "wel" => "cy",
        "dan" => "da",
        "deu" | "ger" => "de",
        "ell" | "gre" => "el",
        "eng" => "en",
        "epo" => "eo",
        "est" => "et",
        "fin" => "fi",
        "fra" | "fre" => "fr",
        "guj" => "gu",
        "heb" => "he",
        "hin" => "hi",
        "hrv" => "hr",
        "hun" => "hu",
        "hye" | "arm" => "hy",
        "ind" => "id",
        "ita" => "it",
        "jav" => "jv",
        "jpn" => "ja",
        "kan" => "kn",
        "kat" | "geo" => "ka",
        "khm" => "km",
        "kor" => "ko",
        "lat" => "la",
        "lav" => "lv",
        "lit" => "lt",
        "mal" => "ml",
        "mar" => "mr",
        "mkd" | "mac" => "mk",
        "mya" | "bur" => "my",
        "nep" => "ne",
        "nld" | "dut" => "nl",
        "nob" | "nor" => "nb",
        "ori" => "or",
        "pan" => "pa",
        "pes" | "fas" | "per" => "fa",
        "pol" => "pl",
        "por" => "pt",
        "ron" | "rum" => "ro",
        "rus" => "ru",
        "sin" => "si",
        "slk" | "slo" => "sk",
        "slv" => "sl",
        "sna" => "sn",
        "spa" => "es",
        "srp" => "sr",
        "swe" => "sv",
        "tam" => "ta",
        "tel" => "te",
        "tgl" => "tl",
        "tha" => "th",
        "tuk" => "tk",
        "tur" => "tr",
        "ukr" => "uk",
        "urd" => "ur",
        "uzb" => "uz",
        "vie" => "vi",
        "yid" => "yi",
        "zul" => "zu",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED_000: &str = include_str!("../../../examples/000_e8348c9c7b4e2da3.txt");

    #[test]
    fn detects_news_languages() {
        assert_eq!(detect_language(SEED_000), Some("en"));
        let de = "Die Bundesregierung hat am Mittwoch beschlossen, die Hilfen für die \
                  Ukraine im kommenden Jahr deutlich aufzustocken. Das teilte ein Sprecher \
                  des Finanzministeriums in Berlin mit, nachdem der Haushaltsausschuss getagt hatte.";
        assert_eq!(detect_language(de), Some("de"));
        let fr = "Le président de la République a annoncé mercredi soir une série de mesures \
                  destinées à soutenir les agriculteurs, après plusieurs semaines de manifestations \
                  dans toute la France.";
        assert_eq!(detect_language(fr), Some("fr"));
        assert_eq!(detect_language("OK"), None);
        assert_eq!(detect_language(""), None);
    }

    #[test]
    fn sample_cut_on_a_char_boundary() {
        let text = "é".repeat(SAMPLE_BYTES);
        let _ = detect_language(&text); // no panic
    }

    #[test]
    fn declared_tags() {
        assert_eq!(normalise("en-US").as_deref(), Some("en"));
        assert_eq!(normalise(" DE ").as_deref(), Some("de"));
        assert_eq!(normalise("pt_BR").as_deref(), Some("pt"));
        assert_eq!(normalise("eng").as_deref(), Some("en"));
        assert_eq!(normalise("ger").as_deref(), Some("de"));
        assert_eq!(normalise("english"), None);
        assert_eq!(normalise(""), None);
        assert_eq!(normalise("x1"), None);
        // detection wins when confident, the declared tag fills in otherwise
        assert_eq!(choose(Some("de"), SEED_000).as_deref(), Some("en"));
        assert_eq!(choose(Some("de-AT"), "Hi.").as_deref(), Some("de"));
        assert_eq!(choose(None, "Hi."), None);
    }
}
