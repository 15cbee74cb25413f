//! Store unit tests on hand-made extractions (no model involved).

use crate::query::{Period, QuoteFilter};
use crate::*;
use onrecord_core::{
    Attribution, Document, Entity, EntityKind, EntityRole, Extraction, Metadata, QuoteKind, Span,
    Speaker, SpeakerKind,
};

fn span_of(text: &str, needle: &str) -> Span {
    let s = text.find(needle).expect("needle in text");
    Span::new(s, s + needle.len())
}

fn doc(id: &str, date: &str, text: &str) -> Document {
    let mut d = Document::plain(id, format!("/nonexistent/{id}.txt"), text.to_string());
    d.meta = Metadata {
        date: Some(date.to_string()),
        outlet: Some("TASS".into()),
        ..Metadata::default()
    };
    d
}

/// One attribution: source, cue and content found by their text.
fn said(
    text: &str,
    source: &str,
    cue: &str,
    content: &str,
    name: &str,
    entity: Option<&str>,
) -> Attribution {
    Attribution {
        kind: QuoteKind::Direct,
        source: vec![span_of(text, source)],
        cue: vec![span_of(text, cue)],
        content: vec![span_of(text, content)],
        speaker: Some(Speaker {
            text: source.to_string(),
            name: name.to_string(),
            name_span: None,
            entity: entity.map(str::to_string),
            kind: SpeakerKind::Unknown,
        }),
        confidence: 0.9,
        date: None,
        stance: Default::default(),
        about: None,
        subject: Vec::new(),
    }
}

fn person(id: &str, name: &str, aliases: &[&str], roles: &[(&str, Span)]) -> Entity {
    Entity {
        id: id.into(),
        name: name.into(),
        kind: EntityKind::Person,
        aliases: aliases.iter().map(|s| s.to_string()).collect(),
        roles: roles
            .iter()
            .map(|(t, s)| EntityRole {
                title: t.to_string(),
                span: *s,
            })
            .collect(),
        mentions: vec![],
        candidates: vec![],
    }
}

fn record(d: Document, ex: &Extraction) -> Item {
    let hash = content_hash(&d, "test");
    let key = format!("test:{}", d.id);
    let text = text_hash(&d.text);
    Item::Article(ArticleRecord::new(key, hash, text, d, ex))
}

const T1: &str =
    "“The understandings remain in force,” Kremlin aide Yuri Ushakov said on Wednesday.";
const T2: &str = "“The Anchorage spirit cannot be ruined,” Yury Ushakov told reporters in Moscow.";

fn ushakov_articles() -> Vec<Item> {
    let ex1 = Extraction {
        attributions: vec![said(
            T1,
            "Kremlin aide Yuri Ushakov",
            "said",
            "“The understandings remain in force,”",
            "Yuri Ushakov",
            Some("per:ushakov"),
        )],
        entities: vec![person(
            "per:ushakov",
            "Yuri Ushakov",
            &["Ushakov"],
            &[("Kremlin aide", span_of(T1, "Kremlin aide"))],
        )],
        dates: vec![],
        events: vec![],
        diagnostics: vec![],
        skipped: None,
    };
    let ex2 = Extraction {
        attributions: vec![said(
            T2,
            "Yury Ushakov",
            "told",
            "“The Anchorage spirit cannot be ruined,”",
            "Yury Ushakov",
            Some("per:ushakov"),
        )],
        entities: vec![person(
            "per:ushakov",
            "Yury Ushakov",
            &["Yury Viktorovich Ushakov"],
            &[("presidential aide", Span::new(0, 1))],
        )],
        dates: vec![],
        events: vec![],
        diagnostics: vec![],
        skipped: None,
    };
    vec![
        record(doc("a1", "2025-11-12", T1), &ex1),
        record(doc("a2", "2026-02-11", T2), &ex2),
    ]
}

fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("r.db")).expect("open");
    (dir, store)
}

#[test]
fn schema_is_created_versioned_and_in_wal_mode() {
    let (dir, store) = temp_store();
    let v: i64 = store
        .conn()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, schema::VERSION);
    let mode: String = store
        .conn()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    drop(store);
    // reopening an existing record neither fails nor recreates it
    let again = Store::open(&dir.path().join("r.db")).unwrap();
    assert_eq!(again.counts().unwrap(), Counts::default());
    assert!(Store::open_read(&dir.path().join("missing.db")).is_err());
}

#[test]
fn newer_schema_is_refused() {
    let (dir, store) = temp_store();
    store
        .conn()
        .execute_batch("PRAGMA user_version = 99")
        .unwrap();
    drop(store);
    let e = Store::open(&dir.path().join("r.db"))
        .err()
        .expect("refused");
    assert!(
        matches!(e, StoreError::NewerSchema { found: 99, .. }),
        "{e}"
    );
}

#[test]
fn same_hash_changes_nothing_and_a_new_hash_replaces() {
    let (_dir, mut store) = temp_store();
    let s = store.write_batch(ushakov_articles()).unwrap();
    assert_eq!(
        (s.new, s.updated, s.unchanged, s.attributions),
        (2, 0, 0, 2)
    );
    let before = store.fingerprint().unwrap();
    let s = store.write_batch(ushakov_articles()).unwrap();
    assert_eq!(
        (s.new, s.updated, s.unchanged, s.attributions),
        (0, 0, 2, 0)
    );
    assert_eq!(store.fingerprint().unwrap(), before);

    // a changed a1: its old statement (and its FTS entry) goes, the new one is there
    let t = "“Nothing has changed,” Ushakov said.";
    let ex = Extraction {
        attributions: vec![said(
            t,
            "Ushakov",
            "said",
            "“Nothing has changed,”",
            "Ushakov",
            None,
        )],
        ..Extraction::default()
    };
    let s = store
        .write_batch(vec![record(doc("a1", "2025-11-13", t), &ex)])
        .unwrap();
    assert_eq!((s.new, s.updated), (0, 1));
    let c = store.counts().unwrap();
    assert_eq!((c.articles, c.attributions), (2, 2));
    assert_ne!(store.fingerprint().unwrap(), before);
    let about = |w: &str| {
        store
            .quotes(&QuoteFilter {
                about: Some(w.into()),
                ..QuoteFilter::default()
            })
            .unwrap()
            .len()
    };
    assert_eq!(about("understandings"), 0);
    assert_eq!(about("nothing changed"), 1);
    assert_eq!(
        store.search("understandings", 10).unwrap().articles.len(),
        0
    );
    assert!(store.check().unwrap().is_none());
}

#[test]
fn speaker_matches_aliases_case_and_accents() {
    let (_dir, mut store) = temp_store();
    store.write_batch(ushakov_articles()).unwrap();
    let by = |name: &str| {
        store
            .quotes(&QuoteFilter {
                speaker: Some(name.into()),
                ..QuoteFilter::default()
            })
            .unwrap()
            .into_iter()
            .map(|q| q.article)
            .collect::<Vec<_>>()
    };
    // a1 names him "Yuri", a2 "Yury": the entity's aliases join them
    assert_eq!(by("Yury Ushakov"), ["a1", "a2"]);
    assert_eq!(by("yuri USHAKOV"), ["a1", "a2"]);
    assert_eq!(by("Yúri Ushakóv"), ["a1", "a2"]);
    assert_eq!(by("Ushakov"), ["a1", "a2"]);
    // the source as written matches too; partial words do not
    assert_eq!(by("Kremlin aide"), ["a1"]);
    assert!(by("Ushak").is_empty());
    assert!(by("Lavrov").is_empty());
}

#[test]
fn entities_upsert_by_id_with_aliases_and_roles_unioned() {
    let (_dir, mut store) = temp_store();
    store.write_batch(ushakov_articles()).unwrap();
    let c = store.counts().unwrap();
    assert_eq!((c.entities, c.people), (1, 1));
    let p = store
        .person("Yuri Ushakov", 10)
        .unwrap()
        .expect("a profile");
    assert_eq!(p.id, "per:ushakov");
    // equal lengths: the first name stays; every other form is an alias
    assert_eq!(p.name, "Yuri Ushakov");
    for a in ["Ushakov", "Yury Ushakov", "Yury Viktorovich Ushakov"] {
        assert!(p.aliases.iter().any(|x| x == a), "{a} in {:?}", p.aliases);
    }
    let roles: Vec<(&str, Option<&str>)> = p
        .roles
        .iter()
        .map(|r| (r.title.as_str(), r.date.as_deref()))
        .collect();
    assert_eq!(
        roles,
        [
            ("Kremlin aide", Some("2025-11-12")),
            ("presidential aide", Some("2026-02-11"))
        ]
    );
    assert_eq!(p.statements, 2);
    assert_eq!(p.first_seen.as_deref(), Some("2025-11-12"));
    assert_eq!(p.last_seen.as_deref(), Some("2026-02-11"));
    assert_eq!(p.outlets.len(), 1);
    // months from the first to the last, empty ones included
    let months: Vec<(&str, u64)> = p
        .over_time
        .iter()
        .map(|b| (b.key.as_str(), b.count))
        .collect();
    assert_eq!(
        months,
        [
            ("2025-11", 1),
            ("2025-12", 0),
            ("2026-01", 0),
            ("2026-02", 1)
        ]
    );
    let people = store.people(10).unwrap();
    assert_eq!(people.len(), 1);
    assert_eq!(people[0].statements, 2);
}

#[test]
fn filters_dates_outlet_kind_and_timeline() {
    let (_dir, mut store) = temp_store();
    store.write_batch(ushakov_articles()).unwrap();
    let n = |f: QuoteFilter| store.quotes(&f).unwrap().len();
    assert_eq!(
        n(QuoteFilter {
            from: Some("2026".into()),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        n(QuoteFilter {
            to: Some("2025-11".into()),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        n(QuoteFilter {
            to: Some("2025-11-12".into()),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        n(QuoteFilter {
            outlet: Some("tass".into()),
            ..Default::default()
        }),
        2
    );
    assert_eq!(
        n(QuoteFilter {
            kind: Some("indirect".into()),
            ..Default::default()
        }),
        0
    );
    assert_eq!(
        n(QuoteFilter {
            limit: Some(1),
            ..Default::default()
        }),
        1
    );
    let t = store.timeline("Anchorage", Period::Month).unwrap();
    assert_eq!(t.buckets.iter().map(|b| b.count).sum::<u64>(), 1);
    let t = store.timeline("Ushakov", Period::Week).unwrap();
    assert_eq!(t.buckets.first().map(|b| b.key.as_str()), Some("2025-W46"));
    assert_eq!(t.buckets.iter().map(|b| b.count).sum::<u64>(), 2);
}

#[test]
fn search_ranks_and_survives_odd_syntax() {
    let (_dir, mut store) = temp_store();
    store.write_batch(ushakov_articles()).unwrap();
    let r = store.search("Anchorage", 10).unwrap();
    assert_eq!(r.statements.len(), 1);
    assert!(r.statements[0].snippet.contains(query::HL_OPEN));
    // not FTS5 syntax: searched as words
    let r = store.search("Putin-Trump's \"", 10).unwrap();
    assert_eq!(r.statements.len(), 0);
    assert!(store.search("AND", 10).unwrap().statements.is_empty());
}

#[test]
fn search_unterminated_quote_falls_back_to_words() {
    let (_dir, mut store) = temp_store();
    store.write_batch(ushakov_articles()).unwrap();
    // FTS5 says "unterminated string": searched as its words instead
    let r = store.search("\"Anchorage spirit", 10).unwrap();
    assert_eq!(r.statements.len(), 1);
    assert_eq!(r.query, "\"Anchorage\" \"spirit\"");
    let r = store.search("(understandings", 10).unwrap();
    assert_eq!(r.statements.len(), 1);
}

#[test]
fn search_lone_star_is_a_query_error_saying_what_to_type() {
    let (_dir, mut store) = temp_store();
    store.write_batch(ushakov_articles()).unwrap();
    for q in ["*", "", "  ", "\"", "^", "-", "()", "\0"] {
        match store.search(q, 10) {
            Err(StoreError::Query { message, .. }) => {
                assert!(message.contains("no words"), "{q:?}: {message}")
            }
            other => panic!("{q:?}: {other:?}"),
        }
    }
}

#[test]
fn search_by_name_finds_the_speakers_statements_first() {
    let (_dir, mut store) = temp_store();
    store.write_batch(ushakov_articles()).unwrap();
    // neither statement's words name him: both are found as his
    for q in ["Ushakov", "yuri ushakov", "Yury Viktorovich Ushakov"] {
        let p = store
            .search_page(q, &QuoteFilter::default(), 10, 0)
            .unwrap();
        assert_eq!(p.spoken_total, 2, "{q}");
        assert_eq!(p.statements.len(), 2, "{q}");
        assert!(p.statements.iter().all(|h| h.matched == "speaker"));
        // newest first
        assert_eq!(p.statements[0].date.as_deref(), Some("2026-02-11"));
    }
    // paging runs across the two groups
    let p = store
        .search_page("Ushakov", &QuoteFilter::default(), 1, 1)
        .unwrap();
    assert_eq!(p.statements.len(), 1);
    assert_eq!(p.statements[0].date.as_deref(), Some("2025-11-12"));
    // words of what was said still match as text
    let p = store
        .search_page("Anchorage", &QuoteFilter::default(), 10, 0)
        .unwrap();
    assert_eq!((p.spoken_total, p.statements_total), (0, 1));
    assert_eq!(p.statements[0].matched, "text");
}

#[test]
fn nul_in_about_or_query_is_a_space_not_a_database_error() {
    let (_dir, mut store) = temp_store();
    store.write_batch(ushakov_articles()).unwrap();
    let f = QuoteFilter {
        about: Some("Anchorage\0spirit".into()),
        ..Default::default()
    };
    assert_eq!(store.quotes(&f).unwrap().len(), 1);
    assert_eq!(store.count_quotes(&f).unwrap(), 1);
    assert_eq!(store.search("Anchorage\0", 10).unwrap().statements.len(), 1);
    assert_eq!(store.threads(Some("a\0b"), 1, 10, 0).unwrap().len(), 0);
}

#[test]
fn impossible_dates_are_refused_naming_the_value() {
    let (_dir, mut store) = temp_store();
    store.write_batch(ushakov_articles()).unwrap();
    for bad in [
        "2026-13",
        "2026-02-30",
        "2025-00",
        "2026-04-31",
        "2026-1",
        "x",
    ] {
        let f = QuoteFilter {
            from: Some(bad.into()),
            ..Default::default()
        };
        match store.quotes(&f) {
            Err(StoreError::Query { message, .. }) => {
                assert!(
                    message.contains(bad) && message.contains("YYYY-MM-DD"),
                    "{message}"
                )
            }
            other => panic!("{bad}: {other:?}"),
        }
        assert!(store.search_page("Anchorage", &f, 10, 0).is_err());
    }
    for good in ["2024-02-29", "2026", "2026-12", "2026-12-31"] {
        assert!(query::is_date_prefix(good), "{good}");
    }
    assert!(!query::is_date_prefix("2025-02-29"));
    assert!(!query::is_date_prefix("1900-02-29"));
    assert!(query::is_date_prefix("2000-02-29"));
}

/// Random strings a person might type (quotes, `*`, `^`, `:`, `NEAR`, `-`,
/// parentheses, unicode, control characters): every one gives results or
/// a query error, never a database error, through every entry point that
/// takes text. Bounded and deterministic (fixed seed).
#[test]
fn any_typed_string_gives_results_or_a_query_error() {
    let (_dir, mut store) = temp_store();
    store.write_batch(ushakov_articles()).unwrap();
    const PIECES: &[&str] = &[
        "\"",
        "*",
        "^",
        ":",
        "NEAR",
        "NEAR(",
        "-",
        "(",
        ")",
        "OR",
        "AND",
        "NOT",
        "+",
        "{",
        "}",
        "Ushakov",
        "anchorage",
        "understand*",
        "spirit",
        " ",
        "  ",
        "\0",
        "\t",
        "é",
        "日本",
        "ünïcödé",
        "'",
        "%",
        "_",
        "\\",
        "[",
        "]",
        ",",
        ".",
        "col:",
        "statements_fts",
        "🙂",
        "\u{202e}",
        "NEAR(a b, 2)",
        "\"a\"",
        "0",
        "-1",
        "*\"",
    ];
    let mut rng = fastrand::Rng::with_seed(17);
    for _ in 0..1500 {
        let n = rng.usize(1..8);
        let q: String = (0..n)
            .map(|_| PIECES[rng.usize(..PIECES.len())])
            .collect::<Vec<_>>()
            .join(if rng.bool() { " " } else { "" });
        let ok = |r: Result<()>, what: &str| match r {
            Ok(()) | Err(StoreError::Query { .. }) => {}
            Err(e) => panic!("{what} {q:?}: {e}"),
        };
        ok(
            store
                .search_page(&q, &QuoteFilter::default(), 5, 0)
                .map(|_| ()),
            "search",
        );
        let f = QuoteFilter {
            about: Some(q.clone()),
            speaker: Some(q.clone()),
            ..Default::default()
        };
        ok(store.quotes(&f).map(|_| ()), "quotes");
        ok(store.timeline(&q, Period::Month).map(|_| ()), "timeline");
        ok(store.threads(Some(&q), 1, 5, 0).map(|_| ()), "threads");
        ok(store.people_named(&q, 5).map(|_| ()), "people");
        ok(store.person(&q, 5).map(|_| ()), "person");
    }
}

#[test]
fn errors_are_remembered_until_the_input_reads() {
    let (_dir, mut store) = temp_store();
    let err = |msg: &str| {
        Item::Error(ErrorRecord {
            key: "/nonexistent/a1.txt".into(),
            path: "a1.txt".into(),
            line: None,
            message: msg.into(),
        })
    };
    store.write_batch(vec![err("empty file")]).unwrap();
    store
        .write_batch(vec![err("binary file, not text")])
        .unwrap();
    let e = store.errors().unwrap();
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].message, "binary file, not text");
    // a1 then reads fine: its error goes
    let mut items = ushakov_articles();
    if let Item::Article(a) = &mut items[0] {
        a.error_key = "/nonexistent/a1.txt".into();
    }
    store.write_batch(items).unwrap();
    assert!(store.errors().unwrap().is_empty());
}

#[test]
fn spans_are_code_points_and_articles_are_found() {
    let (_dir, mut store) = temp_store();
    store.write_batch(ushakov_articles()).unwrap();
    let ids = store.find_articles("a1").unwrap();
    assert_eq!(ids.len(), 1);
    let a = store.article(ids[0]).unwrap().expect("article");
    let q = &a.attributions[0];
    let chars: Vec<char> = a.text.chars().collect();
    let [s, e] = q.content_spans[0];
    assert_eq!(chars[s..e].iter().collect::<String>(), q.content);
    let [s, e] = q.source_spans[0];
    assert_eq!(
        chars[s..e].iter().collect::<String>(),
        "Kremlin aide Yuri Ushakov"
    );
}

#[test]
fn a_longer_name_replaces_the_entity_name_and_the_old_one_stays_an_alias() {
    let (_dir, mut store) = temp_store();
    store.write_batch(ushakov_articles()).unwrap();
    let t = "Yury Viktorovich Ushakov spoke.";
    let ex = Extraction {
        entities: vec![person("per:ushakov", "Yury Viktorovich Ushakov", &[], &[])],
        ..Extraction::default()
    };
    store
        .write_batch(vec![record(doc("a3", "2026-03-01", t), &ex)])
        .unwrap();
    let e = store.entities().unwrap();
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].name, "Yury Viktorovich Ushakov");
    assert!(e[0].aliases.iter().any(|a| a == "Yuri Ushakov"));
    assert_eq!(e[0].statements, 2);
    // the profile's last sighting counts mentions-only articles? no mentions
    // here, so it stays at the last statement
    let p = store.person("Ushakov", 5).unwrap().unwrap();
    assert_eq!(p.name, "Yury Viktorovich Ushakov");
    assert_eq!(p.last_seen.as_deref(), Some("2026-02-11"));
}

#[test]
fn pages_counts_and_lookups_for_the_web_api() {
    let (_dir, mut store) = temp_store();
    store.write_batch(ushakov_articles()).unwrap();
    // pagination: offset without and with a limit, newest first, counts
    let all = QuoteFilter::default();
    assert_eq!(store.count_quotes(&all).unwrap(), 2);
    let page = |f: QuoteFilter| {
        store
            .quotes(&f)
            .unwrap()
            .into_iter()
            .map(|q| q.article)
            .collect::<Vec<_>>()
    };
    assert_eq!(page(all.clone()), ["a1", "a2"]);
    assert_eq!(
        page(QuoteFilter {
            offset: Some(1),
            ..QuoteFilter::default()
        }),
        ["a2"]
    );
    assert_eq!(
        page(QuoteFilter {
            limit: Some(1),
            newest_first: true,
            ..QuoteFilter::default()
        }),
        ["a2"]
    );
    assert_eq!(
        page(QuoteFilter {
            person: Some("per:ushakov".into()),
            to: Some("2025".into()),
            ..QuoteFilter::default()
        }),
        ["a1"]
    );
    let none = QuoteFilter {
        person: Some("per:nobody".into()),
        ..QuoteFilter::default()
    };
    assert_eq!(store.count_quotes(&none).unwrap(), 0);
    // every quote knows its article's row id
    let q = store.quotes(&all).unwrap();
    for q in &q {
        assert_eq!(store.article_id(&q.article).unwrap(), Some(q.article_id));
        assert_eq!(
            store.article_id(&q.article_id.to_string()).unwrap(),
            Some(q.article_id)
        );
    }
    assert_eq!(store.article_id("nope").unwrap(), None);

    // people: count and pages
    assert_eq!(store.people_count().unwrap(), 1);
    assert_eq!(store.people_page(10, 0).unwrap().len(), 1);
    assert!(store.people_page(10, 1).unwrap().is_empty());
    let named = store.people_named("yury ushakov", 5).unwrap();
    assert_eq!(named.len(), 1);
    assert_eq!(
        (named[0].id.as_str(), named[0].statements),
        ("per:ushakov", 2)
    );
    assert!(store.people_named("Lavrov", 5).unwrap().is_empty());
    let p = store
        .person_by_id("per:ushakov", 5)
        .unwrap()
        .expect("known");
    assert_eq!((p.name.as_str(), p.statements), ("Yuri Ushakov", 2));
    assert!(p.roles.iter().all(|r| r.article_id > 0));
    assert!(store.person_by_id("per:nobody", 5).unwrap().is_none());
    let t = store.person_timeline("per:ushakov", Period::Week).unwrap();
    assert_eq!(t.buckets.first().map(|b| b.key.as_str()), Some("2025-W46"));
    assert_eq!(t.buckets.iter().map(|b| b.count).sum::<u64>(), 2);

    // search with filters and totals
    let s = store
        .search_page("Anchorage OR understandings", &all, 1, 0)
        .unwrap();
    assert_eq!((s.statements_total, s.statements.len()), (2, 1));
    let later = QuoteFilter {
        from: Some("2026".into()),
        ..QuoteFilter::default()
    };
    let s = store
        .search_page("Anchorage OR understandings", &later, 10, 0)
        .unwrap();
    assert_eq!(s.statements_total, 1);
    assert_eq!(s.statements[0].article, "a2");
    assert_eq!(
        s.articles
            .iter()
            .map(|h| h.article.as_str())
            .collect::<Vec<_>>(),
        ["a2"]
    );
    let s = store
        .search_page(
            "Anchorage OR understandings",
            &QuoteFilter {
                kind: Some("indirect".into()),
                ..QuoteFilter::default()
            },
            10,
            0,
        )
        .unwrap();
    assert_eq!((s.statements_total, s.articles_total), (0, 0));
    let s = store.search_page("understandings", &all, 10, 1).unwrap();
    assert!(s.statements.is_empty() && s.statements_total == 1);

    assert_eq!(store.outlets().unwrap()[0].key, "TASS");
    assert!(crate::query::is_date_prefix("2025-11"));
    assert!(!crate::query::is_date_prefix("2025-1"));
}

#[test]
fn mentions_of_an_article() {
    let (_dir, mut store) = temp_store();
    let mut e = person("per:ushakov", "Yuri Ushakov", &[], &[]);
    // "Yuri Ushakov" in T1 as bytes; T1 starts with a 3-byte quote mark
    e.mentions = vec![span_of(T1, "Yuri Ushakov")];
    let ex = Extraction {
        entities: vec![e],
        ..Extraction::default()
    };
    store
        .write_batch(vec![record(doc("a1", "2025-11-12", T1), &ex)])
        .unwrap();
    let id = store.article_id("a1").unwrap().unwrap();
    let m = store.mentions(id).unwrap();
    assert_eq!(m.len(), 1);
    let chars: Vec<char> = T1.chars().collect();
    let s: String = chars[m[0].start..m[0].end].iter().collect();
    assert_eq!(s, "Yuri Ushakov", "code points, not bytes");
    assert_eq!(
        (m[0].kind.as_str(), m[0].name.as_str()),
        ("PERSON", "Yuri Ushakov")
    );
}
