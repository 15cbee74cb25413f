//! An article's text as HTML with its attributions and entity mentions
//! marked.
//!
//! Spans are code-point offsets (as stored); they may overlap and nest in
//! any way (a source inside a content, two statements sharing a cue,
//! mentions inside sources). The text is cut at every span boundary; at
//! each cut the elements that end there (and the ones opened inside them)
//! are closed and the ones still running reopened, so the output is
//! always well-formed, and every piece of text is escaped.

use crate::util::{enc, esc_into};
use onrecord_store::query::{MentionRow, Quote};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum What {
    /// A role of the statement at this index in the quotes given.
    Role(&'static str, usize),
    /// The mention at this index.
    Mention(usize),
}

#[derive(Clone, Copy, Debug)]
struct Mark {
    start: usize,
    end: usize,
    what: What,
}

/// Nesting rank at one start: content outside source outside cue outside
/// mentions (when they start together and are as long).
fn rank(w: What) -> u8 {
    match w {
        What::Role("content", _) => 0,
        What::Role("source", _) => 1,
        What::Role(_, _) => 2,
        What::Mention(_) => 3,
    }
}

/// `text` as HTML: `<span class="hl hl-source|hl-cue|hl-content">` for the
/// statements' roles (the first piece of each statement carries
/// `id="q{statement id}"`), `<a class="m m-person">` to the person's page
/// for mentions of people and `<span class="m m-…">` for other entities.
pub fn article_html(text: &str, quotes: &[Quote], mentions: &[MentionRow]) -> String {
    // byte offset of every code point, and of the end
    let mut at: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    let n = at.len();
    at.push(text.len());

    let mut marks: Vec<Mark> = Vec::new();
    let mut add = |s: usize, e: usize, what: What| {
        let (s, e) = (s.min(n), e.min(n));
        if s < e {
            marks.push(Mark {
                start: s,
                end: e,
                what,
            });
        }
    };
    for (i, q) in quotes.iter().enumerate() {
        for (role, spans) in [
            ("content", &q.content_spans),
            ("source", &q.source_spans),
            ("cue", &q.cue_spans),
        ] {
            for [s, e] in spans {
                add(*s, *e, What::Role(role, i));
            }
        }
    }
    // mentions may not overlap one another (links cannot nest): the first
    // (longest at a start) wins
    let mut last_end = 0;
    for (i, m) in mentions.iter().enumerate() {
        if m.start >= last_end && m.start < m.end {
            add(m.start, m.end, What::Mention(i));
            last_end = m.end;
        }
    }
    marks.sort_by(|a, b| {
        a.start
            .cmp(&b.start)
            .then(b.end.cmp(&a.end))
            .then(rank(a.what).cmp(&rank(b.what)))
    });

    let mut cuts: Vec<usize> = marks.iter().flat_map(|m| [m.start, m.end]).collect();
    cuts.push(0);
    cuts.push(n);
    cuts.sort_unstable();
    cuts.dedup();

    let mut out = String::with_capacity(text.len() + text.len() / 2 + marks.len() * 48);
    let mut stack: Vec<usize> = Vec::new(); // indices into marks, outermost first
    let mut anchored = vec![false; quotes.len()];
    let mut next = 0; // next mark to open, in start order
    for w in cuts.windows(2) {
        let (here, to) = (w[0], w[1]);
        // close from the lowest element that ends here, reopen the others
        if let Some(low) = stack.iter().position(|&m| marks[m].end <= here) {
            let above: Vec<usize> = stack.drain(low..).collect();
            for &m in above.iter().rev() {
                close(&mut out, marks[m].what, mentions);
            }
            for m in above {
                if marks[m].end > here {
                    open(&mut out, &marks[m], quotes, mentions, &mut anchored);
                    stack.push(m);
                }
            }
        }
        while next < marks.len() && marks[next].start <= here {
            if marks[next].end > here {
                open(&mut out, &marks[next], quotes, mentions, &mut anchored);
                stack.push(next);
            }
            next += 1;
        }
        esc_into(&mut out, &text[at[here]..at[to]]);
    }
    for &m in stack.iter().rev() {
        close(&mut out, marks[m].what, mentions);
    }
    out
}

fn open(
    out: &mut String,
    m: &Mark,
    quotes: &[Quote],
    mentions: &[MentionRow],
    anchored: &mut [bool],
) {
    match m.what {
        What::Role(role, i) => {
            let q = &quotes[i];
            out.push_str("<span class=\"hl hl-");
            out.push_str(role);
            out.push('"');
            if !anchored[i] {
                anchored[i] = true;
                out.push_str(&format!(" id=\"q{}\"", q.id));
            }
            out.push_str(&format!(" data-q=\"{}\" title=\"", q.id));
            esc_into(out, role);
            if let Some(s) = q.speaker.as_deref() {
                out.push_str(" · ");
                esc_into(out, s);
            }
            out.push_str("\">");
        }
        What::Mention(i) => {
            let e = &mentions[i];
            let class = match e.kind.as_str() {
                "PERSON" => "person",
                "ORG" => "org",
                "LOC" => "loc",
                _ => "misc",
            };
            if class == "person" {
                out.push_str("<a class=\"m m-person\" href=\"/people/");
                out.push_str(&enc(&e.entity));
                out.push_str("\" title=\"");
            } else {
                out.push_str("<span class=\"m m-");
                out.push_str(class);
                out.push_str("\" title=\"");
            }
            esc_into(out, &e.name);
            out.push_str(" (");
            esc_into(out, &e.kind);
            out.push_str(")\">");
        }
    }
}

fn close(out: &mut String, w: What, mentions: &[MentionRow]) {
    match w {
        // only people's mentions are links
        What::Mention(i) if mentions[i].kind == "PERSON" => out.push_str("</a>"),
        _ => out.push_str("</span>"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quote(id: i64, source: [usize; 2], cue: [usize; 2], content: [usize; 2]) -> Quote {
        Quote {
            id,
            article: "a".into(),
            article_id: 1,
            path: "a.txt".into(),
            date: None,
            outlet: None,
            title: None,
            kind: "direct".into(),
            speaker: Some("O'Brien <b>".into()),
            speaker_text: None,
            entity: None,
            source: String::new(),
            cue: String::new(),
            content: String::new(),
            confidence: 1.0,
            source_spans: vec![source],
            cue_spans: vec![cue],
            content_spans: vec![content],
            refers_to: None,
            stance: "neutral".into(),
            thread: None,
        }
    }

    fn mention(entity: &str, kind: &str, start: usize, end: usize) -> MentionRow {
        MentionRow {
            entity: entity.into(),
            name: entity.into(),
            kind: kind.into(),
            start,
            end,
        }
    }

    /// Checks that tags balance (a tiny parser for what we emit) and
    /// returns the text with tags removed and entities decoded.
    fn check(html: &str) -> String {
        let mut stack: Vec<String> = Vec::new();
        let mut text = String::new();
        let mut rest = html;
        while let Some(i) = rest.find(['<', '&']) {
            text.push_str(&rest[..i]);
            rest = &rest[i..];
            if rest.starts_with('<') {
                let j = rest.find('>').expect("tag ends");
                let tag = &rest[1..j];
                assert!(!tag[1..].contains('<'), "stray < in {tag}");
                if let Some(name) = tag.strip_prefix('/') {
                    assert_eq!(stack.pop().as_deref(), Some(name), "in {html}");
                } else {
                    let name = tag.split(' ').next().unwrap().to_string();
                    assert!(name == "span" || name == "a", "{name}");
                    if name == "a" {
                        assert!(!stack.iter().any(|t| t == "a"), "nested links in {html}");
                    }
                    stack.push(name);
                }
                rest = &rest[j + 1..];
            } else {
                let j = rest.find(';').expect("entity ends");
                text.push(match &rest[..=j] {
                    "&amp;" => '&',
                    "&lt;" => '<',
                    "&gt;" => '>',
                    "&quot;" => '"',
                    "&#39;" => '\'',
                    e => panic!("unknown entity {e}"),
                });
                rest = &rest[j + 1..];
            }
        }
        text.push_str(rest);
        assert!(stack.is_empty(), "unclosed {stack:?} in {html}");
        text
    }

    #[test]
    fn plain_text_is_escaped() {
        let t = "<script>alert(1)</script> <img src=x onerror=alert(1)> <a href=\"javascript:x\">";
        let h = article_html(t, &[], &[]);
        assert!(
            !h.contains('<') && !h.contains('>') && !h.contains('"'),
            "{h}"
        );
        assert_eq!(check(&h), t);
    }

    #[test]
    fn code_points_not_bytes_and_nesting() {
        // “ and ” are 3 bytes each; é is 2
        let t = "“Ça va,” said Zé Lavrov. ";
        let c = |s: &str| t[..t.find(s).unwrap()].chars().count();
        let span = |s: &str| [c(s), c(s) + s.chars().count()];
        let q = quote(7, span("Zé Lavrov"), span("said"), span("“Ça va,”"));
        let m = vec![mention(
            "per:lavrov:z",
            "PERSON",
            span("Zé Lavrov")[0],
            span("Zé Lavrov")[1],
        )];
        let h = article_html(t, &[q], &m);
        assert_eq!(check(&h), t);
        assert!(h.contains(r#"<span class="hl hl-content" id="q7" data-q="7" title="content · O&#39;Brien &lt;b&gt;">“Ça va,”</span>"#), "{h}");
        assert!(h.contains(r#"<span class="hl hl-cue" data-q="7""#), "{h}");
        assert!(h.contains(r#"<a class="m m-person" href="/people/per%3Alavrov%3Az" title="per:lavrov:z (PERSON)">Zé Lavrov</a></span>"#), "{h}");
    }

    #[test]
    fn overlapping_spans_stay_well_formed() {
        let t = "abcdefghijklmnopqrstuvwxyz";
        // content 2..12 crosses source 8..16; a second statement shares
        // part of both; mentions overlap each other and everything
        let quotes = vec![
            quote(1, [8, 16], [16, 18], [2, 12]),
            quote(2, [0, 26], [10, 11], [5, 20]),
            quote(3, [30, 40], [25, 99], [4, 4]), // out of range and empty
        ];
        let m = vec![
            mention("per:a", "PERSON", 6, 14),
            mention("per:b", "PERSON", 7, 9),
            mention("n:x", "ORG", 13, 22),
        ];
        let h = article_html(t, &quotes, &m);
        assert_eq!(check(&h), t);
        assert_eq!(h.matches("id=\"q1\"").count(), 1);
        assert_eq!(h.matches("id=\"q2\"").count(), 1);
        assert_eq!(
            h.matches("id=\"q3\"").count(),
            1,
            "q3's cue (25..26) is marked"
        );
        // every position from 2 to 11 lies inside some content piece
        assert!(h.matches("hl-content").count() >= 2);
        // exhaustively: every pair of small spans over a short text
        let t = "0123456789";
        for a in 0..10 {
            for b in a..=10 {
                for c in 0..10 {
                    for d in c..=10 {
                        let q = vec![quote(1, [a, b], [c, d], [b.min(c), d.max(a)])];
                        let m = vec![mention("per:x", "PERSON", c, b.max(c))];
                        assert_eq!(check(&article_html(t, &q, &m)), t);
                    }
                }
            }
        }
    }
}
