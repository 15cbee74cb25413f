use super::*;

fn words(text: &str) -> Vec<&str> {
    let l = analyze(text, &[Span::new(0, text.len())]);
    l.tokens.iter().map(|t| t.text(text)).collect()
}

fn sents(text: &str) -> Vec<&str> {
    let l = analyze(text, &[Span::new(0, text.len())]);
    l.sentences.iter().map(|s| s.span.text(text)).collect()
}

fn quoted(text: &str) -> Vec<&str> {
    let l = analyze(text, &[Span::new(0, text.len())]);
    l.quotations.iter().map(|q| q.span.text(text)).collect()
}

#[test]
fn news_tokens() {
    assert_eq!(
        words("The U.S. and Mr. Trump’s aides, in the ’90s, said 3.5% of 100,000 voters’ don’t."),
        vec![
            "The", "U.S.", "and", "Mr.", "Trump", "’s", "aides", ",", "in", "the", "’90s", ",",
            "said", "3.5", "%", "of", "100,000", "voters", "’", "don’t", "."
        ]
    );
    assert_eq!(
        words("anti-GOP O’Malley e.g. x"),
        vec!["anti-GOP", "O’Malley", "e.g.", "x"]
    );
    assert_eq!(
        words("see https://example.com/a?b=1. Then @POTUS #tag"),
        vec![
            "see",
            "https://example.com/a?b=1",
            ".",
            "Then",
            "@POTUS",
            "#tag"
        ]
    );
    assert_eq!(
        words("wait... no -- yes—no"),
        vec!["wait", "...", "no", "--", "yes", "—", "no"]
    );
}

#[test]
fn abbreviation_aware_sentences() {
    assert_eq!(
        sents("Dr. Smith met U.S. Sen. Warren on Jan. 5. They talked. It cost $3.5 million."),
        vec![
            "Dr. Smith met U.S. Sen. Warren on Jan. 5.",
            "They talked.",
            "It cost $3.5 million."
        ]
    );
    assert_eq!(
        sents("He lives in the U.S. He said so."),
        vec!["He lives in the U.S.", "He said so."]
    );
    assert_eq!(
        sents("John F. Kennedy spoke."),
        vec!["John F. Kennedy spoke."]
    );
    assert_eq!(
        sents("“It is over.” He left. “Is it?” she asked."),
        vec!["“It is over.”", "He left.", "“Is it?” she asked."]
    );
}

#[test]
fn sentence_opened_by_two_apostrophes_splits_before_the_marks() {
    // the quote style of some wires (PolNeAR's New York Times articles):
    // the second quotation was glued to "Mr. Sanders said."
    assert_eq!(
        sents("''We will get used to it,'' Mr. Sanders said. ''I'm not going to get beaten up.''"),
        vec![
            "''We will get used to it,'' Mr. Sanders said.",
            "''I'm not going to get beaten up.''"
        ]
    );
    assert_eq!(
        sents("He said so. 'I know.' She left."),
        vec!["He said so.", "'I know.'", "She left."]
    );
    // a closing mark right after the period stays with its sentence
    assert_eq!(
        sents("''It is over.'' He left."),
        vec!["''It is over.''", "He left."]
    );
}

#[test]
fn curly_and_straight_quotes() {
    assert_eq!(
        quoted("He said “yes, ‘maybe’ later” and left."),
        vec!["“yes, ‘maybe’ later”", "‘maybe’"]
    );
    assert_eq!(
        quoted("\"As for it,\" Lavrov told lawmakers during a \"government hour.\""),
        vec!["\"As for it,\"", "\"government hour.\""]
    );
    assert_eq!(quoted("« Oui », dit-il."), vec!["« Oui »"]);
}

#[test]
fn apostrophes_are_not_quotes() {
    let t = "The voters’ choice in the ’90s wasn’t Trump’s.";
    assert!(quoted(t).is_empty());
    let l = analyze(t, &[Span::new(0, t.len())]);
    assert!(l.tokens.iter().all(|t| t.quote_depth == 0));
}

#[test]
fn odd_number_of_marks_never_fails() {
    let t = "He said “it is over and left.\nNext ” paragraph \" here.";
    let l = analyze(t, &[Span::new(0, t.len())]);
    assert_eq!(l.quotations.len(), 2);
    assert!(!l.quotations[0].closed);
    assert_eq!(l.quotations[0].span.text(t), "“it is over and left.");
    // the stray closing mark in paragraph two opens nothing
    assert!(l.tokens.iter().any(|x| x.kind == TokenKind::StrayQuote));
}

#[test]
fn multi_paragraph_quote() {
    let t = "“First part of it.\n“Second part.\n“Third part,” he said.\nNot quoted.";
    let l = analyze(t, &[Span::new(0, t.len())]);
    assert_eq!(l.quotations.len(), 1);
    let q = &l.quotations[0];
    assert!(q.closed);
    assert_eq!(q.paragraphs, 3);
    assert_eq!(
        q.span.text(t),
        "“First part of it.\n“Second part.\n“Third part,”"
    );
    let last = l.tokens.last().unwrap();
    assert_eq!(last.quote_depth, 0);
}

#[test]
fn regions_and_paragraphs() {
    let t = "NAV MENU\nHeadline here\n\nBody text. More.\nPhoto: x";
    let regions = [Span::new(9, 40)];
    let l = analyze(t, &regions);
    let paras: Vec<_> = l.paragraphs.iter().map(|p| p.span.text(t)).collect();
    assert_eq!(paras, vec!["Headline here", "Body text. More."]);
    assert_eq!(l.sentences.len(), 3);
    assert_eq!(l.sentence_of.len(), l.tokens.len());
}

#[test]
fn junk_input_does_not_panic() {
    for t in [
        "",
        "\"",
        "’",
        "“”‘’\"'",
        "\u{0}\u{1}é\u{feff}",
        ". . .",
        "'a 'b' c'",
        "\n\n\n",
    ] {
        let _ = analyze(t, &[Span::new(0, t.len())]);
    }
}

#[test]
fn doubled_apostrophes_are_double_quotes() {
    let t = "He said, ''It is more tinkering at the edges,'' and left. ``Yes,'' she said.";
    assert_eq!(
        quoted(t),
        vec!["''It is more tinkering at the edges,''", "``Yes,''"]
    );
}
