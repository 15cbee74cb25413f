//! Three real pages from the evaluation set (tests/fixtures/html at the
//! repository root) that were once read as prose with their markup and
//! scripts: the text is clean, the paragraphs are the article's, and the
//! metadata is what the page says (checked by hand).

use onrecord_html::{extract, Hints, Page};

fn fixture(name: &str, url: &str) -> Page {
    let path = format!(
        "{}/../../tests/fixtures/html/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let hints = Hints {
        url: Some(url),
        ..Hints::default()
    };
    extract(&bytes, &hints).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn assert_clean(p: &Page) {
    for bad in [
        "<div",
        "<p>",
        "</",
        "function(",
        "var ",
        "{\"",
        "window.",
        "&amp;",
        "&nbsp;",
        "@context",
    ] {
        assert!(
            !p.text.contains(bad),
            "markup or script {bad:?} in the text"
        );
    }
    assert!(!p.text.contains("  ") && !p.text.contains("\n\n\n"));
}

#[test]
fn reuters() {
    let p = fixture("reuters.com.parasite.html", "https://www.reuters.com/article/us-awards-sag/parasite-scores-upset-at-sag-awards-boosting-oscar-chances-idUSKBN1ZI0EH");
    assert_clean(&p);
    let paras: Vec<&str> = p.text.split("\n\n").collect();
    assert!(paras[0].starts_with(
        "LOS ANGELES (Reuters) - South Korean thriller “Parasite” was the upset winner"
    ));
    assert!(paras.len() >= 20, "{} paragraphs", paras.len());
    assert!(
        paras.contains(&"DISAPPOINTING NIGHT FOR ‘IRISHMAN’"),
        "the subheading is its own paragraph"
    );
    assert!(p.text.contains("Additional reporting by"));
    for boilerplate in [
        "Related Coverage",
        "4 Min Read",
        "The Thomson Reuters Trust Principles",
        "Factbox: Key winners",
    ] {
        assert!(!p.text.contains(boilerplate), "{boilerplate}");
    }
    assert_eq!(
        p.title.as_deref(),
        Some("'Parasite' scores historic upset at SAG awards, boosting Oscar chances")
    );
    assert_eq!(p.date.as_deref(), Some("2020-01-19"));
    assert_eq!(p.authors, ["Jill Serjeant"]);
    // og:site_name says "U.S." (the edition); the JSON-LD publisher names the host
    assert_eq!(p.site_name.as_deref(), Some("Reuters"));
    assert_eq!(p.language.as_deref(), Some("en"));
    assert_eq!(
        p.url.as_deref(),
        Some("https://www.reuters.com/article/us-awards-sag-idUSKBN1ZI0EH")
    );
}

#[test]
fn scmp_text_from_json_ld() {
    // the page's HTML carries only a photo caption; the article is in its JSON-LD articleBody
    let p = fixture("scmp.com.playbook.html", "https://www.scmp.com/comment/opinion/article/3046526/taiwanese-president-tsai-ing-wens-political-playbook-should-be");
    assert_clean(&p);
    assert!(p.text.starts_with(
        "Taiwanese President Tsai Ing-wen’s spectacular re-election was no easy feat."
    ));
    for want in [
        "almost insulting to Hongkongers",
        "a sign she was working hard for the",
        "using political shrewdness",
    ] {
        assert!(p.text.contains(want), "{want}");
    }
    assert!(!p.text.contains("By registering, you agree to"));
    assert_eq!(p.title.as_deref(), Some("Taiwanese President Tsai Ing-wen’s political playbook should be essential reading for Hong Kong leader Carrie Lam"));
    assert_eq!(p.date.as_deref(), Some("2020-01-20"));
    assert_eq!(p.authors, ["Alice Wu"]);
    assert_eq!(p.site_name.as_deref(), Some("South China Morning Post"));
}

#[test]
fn dw() {
    let p = fixture("dw.com.colonial.html", "https://www.dw.com/en/berlin-confronts-germanys-colonial-past-with-new-initiative/a-52060881");
    assert_clean(&p);
    let paras: Vec<&str> = p.text.split("\n\n").collect();
    // the lead (a sibling of the body's container) comes first
    assert!(paras[0].starts_with("The German capital has launched a five-year project"));
    assert!(paras[1]
        .starts_with("Berlin's relationship with its colonial history is being reconsidered"));
    assert!(paras.contains(&"Freedom fighters replace colonial leaders"));
    assert!(paras.contains(&"Right-wing resistance"));
    for boilerplate in [
        "Read more: Recognizing Germany colonial crimes",
        "Read more: Looted colonial art",
    ] {
        assert!(!p.text.contains(boilerplate), "{boilerplate}");
    }
    assert_eq!(
        p.title.as_deref(),
        Some("Berlin confronts Germany's colonial past with new initiative")
    );
    assert_eq!(p.language.as_deref(), Some("en"));
    // the meta author is the outlet; date and author are a list of facts
    // ("<li><strong>Date</strong> 19.01.2020</li>")
    assert_eq!(p.authors, ["Ben Knight"]);
    assert_eq!(p.date.as_deref(), Some("2020-01-19"));
}
