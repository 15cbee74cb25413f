//! The router in-process, on records built by hand (no model involved).
//! The binary, the real pipeline and real HTTP are tested in
//! `tests/serve.rs` and `tests/browser.rs` at the workspace root.

use super::*;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use onrecord_store::{
    ArticleRecord, AttributionRecord, EntityRecord, EventRecord, Item, Store, ThreadRecord,
};
use serde_json::Value;
use std::collections::BTreeSet;
use tower::ServiceExt;

/// The synthetic speaker.
pub(crate) const ROE: &str = "per:roe:jn";

/// A `YYYY-MM-DD` for day `d` from 2024-01-01 (28-day months: valid dates).
fn day(d: usize) -> String {
    format!(
        "{}-{:02}-{:02}",
        2024 + d / 336,
        1 + (d / 28) % 12,
        1 + d % 28
    )
}

/// The stances, in the order the synthetic statements cycle through them.
const STANCES: [&str; 5] = ["affirms", "hopes", "doubts", "denies", "neutral"];
/// The thread every synthetic statement is in, and its event.
pub(crate) const ROE_THREAD: &str = "t1";
pub(crate) const ROE_EVENT: &str = "ev:meeting:roe";

/// One article: statements by Jane Roe, with code-point spans.
fn roe_article(i: usize, statements: usize) -> ArticleRecord {
    let mut text = String::from("Ünïcode headline: Jane Roe on the budget\n\n");
    let mut attributions = Vec::new();
    let mut mentions = Vec::new();
    let cp = |s: &str| s.chars().count();
    for j in 0..statements {
        let k = i * 100 + j;
        let content = format!("“Item {k} costs < {k} & more — ‘no’,”");
        let start = cp(&text);
        text.push_str(&content);
        let content_span = [start, start + cp(&content)];
        text.push(' ');
        let src = [cp(&text), cp(&text) + 8];
        text.push_str("Jane Roe");
        mentions.push(src);
        text.push(' ');
        let cue = [cp(&text), cp(&text) + 4];
        text.push_str("said.\n");
        attributions.push(AttributionRecord {
            kind: ["direct", "mixed", "indirect"][k % 3],
            source_spans: vec![src],
            cue_spans: vec![cue],
            content_spans: vec![content_span],
            source: "Jane Roe".into(),
            cue: "said".into(),
            content,
            speaker_text: Some("Jane Roe".into()),
            speaker_name: Some("Jane Roe".into()),
            speaker_kind: Some("person"),
            speaker_entity: Some(ROE.into()),
            speaker_key: Some(" jane roe | jane roe ".into()),
            speaker_person: true,
            speaker_pid: Some(ROE.into()),
            confidence: 0.9,
            stance: STANCES[k % STANCES.len()],
            thread: Some(ROE_THREAD.into()),
            ref_date: Some(day(i * 3)),
            subject: "[]".into(),
        });
    }
    ArticleRecord {
        key: format!("synthetic#{i}"),
        error_key: format!("synthetic:{i}"),
        doc: format!("roe-{i:04}"),
        path: "synthetic".into(),
        hash: format!("h{i}"),
        text_hash: String::new(),
        date: Some(day(i * 3)),
        title: Some(format!("Roe on the budget, part {i}")),
        outlet: Some(["TASS", "Reuters", "AP"][i % 3].into()),
        url: Some(format!("https://example.org/roe/{i}")),
        authors: vec!["A. Writer".into()],
        editor: None,
        language: Some("en".into()),
        modified: None,
        description: None,
        crawled: None,
        format: "jsonl",
        note: None,
        text,
        attributions,
        entities: vec![EntityRecord {
            id: ROE.into(),
            name: "Jane Roe".into(),
            kind: "PERSON",
            aliases: vec!["Roe".into()],
            roles: vec![("finance minister".into(), 0, 1)],
            mentions,
        }],
        events: vec![(ROE_EVENT.into(), "{}".into())],
    }
}

/// A record in which Jane Roe makes `n` statements, five per article, one
/// article every three days from 2024-01-01.
pub(crate) fn synthetic_record(db: &std::path::Path, n: usize) {
    let mut store = Store::open(db).expect("open a new record");
    let mut items = vec![
        Item::Event(EventRecord {
            id: ROE_EVENT.into(),
            kind: "meeting".into(),
            date: Some(day(0)),
            principals: format!("[\"{ROE}\"]"),
            places: "[]".into(),
        }),
        Item::Thread(ThreadRecord {
            id: ROE_THREAD.into(),
            seq: 1,
            label: "budget · items".into(),
            centroid: r#"[{"key":"budget","text":"budget","weight":0.8}]"#.into(),
            size: n as i64,
            first: Some(day(0)),
            last: None,
            events: format!("[[\"{ROE_EVENT}\", 1]]"),
        }),
    ];
    let mut left = n;
    let mut i = 0;
    while left > 0 {
        let k = left.min(5);
        items.push(Item::Article(roe_article(i, k)));
        left -= k;
        i += 1;
    }
    store.write_batch(items).expect("write");
}

/// An article whose every field tries to get markup onto the page.
fn hostile_article() -> ArticleRecord {
    let text = "<script>alert('x')</script> “<img src=x onerror=alert(1)>,” said <b>Eve</b>. \
                See <a href=\"javascript:alert(2)\">this</a> & <iframe src=//evil>.";
    let cp = |needle: &str| {
        let b = text.find(needle).expect("needle");
        let s = text[..b].chars().count();
        [s, s + needle.chars().count()]
    };
    ArticleRecord {
        key: "hostile".into(),
        error_key: "hostile".into(),
        doc: "hostile<script>".into(),
        path: "hostile".into(),
        hash: "h".into(),
        text_hash: String::new(),
        date: Some("2025-01-01".into()),
        title: Some("<script>alert('title')</script>".into()),
        outlet: Some("<b onmouseover=alert(3)>Outlet</b>".into()),
        url: Some("javascript:alert(4)".into()),
        authors: vec!["<img src=x onerror=alert(5)>".into()],
        editor: Some("\"><script>alert(6)</script>".into()),
        language: Some("<i>en</i>".into()),
        modified: None,
        description: Some("<script>alert(7)</script>".into()),
        crawled: None,
        format: "html",
        note: None,
        text: text.into(),
        attributions: vec![AttributionRecord {
            kind: "direct",
            source_spans: vec![cp("<b>Eve</b>")],
            cue_spans: vec![cp("said")],
            content_spans: vec![cp("“<img src=x onerror=alert(1)>,”")],
            source: "<b>Eve</b>".into(),
            cue: "said".into(),
            content: "“<img src=x onerror=alert(1)>,”".into(),
            speaker_text: Some("<b>Eve</b>".into()),
            speaker_name: Some("<b>Eve</b>".into()),
            speaker_kind: Some("person"),
            speaker_entity: Some("per:eve<script>".into()),
            speaker_key: Some(" b eve b | b eve b ".into()),
            speaker_person: true,
            speaker_pid: Some("per:eve<script>".into()),
            confidence: 0.5,
            stance: "denies",
            thread: Some(HOSTILE_THREAD.into()),
            ref_date: None,
            subject: "[]".into(),
        }],
        entities: vec![EntityRecord {
            id: "per:eve<script>".into(),
            name: "<b>Eve</b>".into(),
            kind: "PERSON",
            aliases: vec!["<i>Eve</i>".into()],
            roles: vec![("<script>role</script>".into(), 0, 1)],
            mentions: vec![cp("<b>Eve</b>"), cp("<iframe src=//evil>")],
        }],
        events: vec![],
    }
}

/// The hostile article's thread: its label and terms try markup too.
const HOSTILE_THREAD: &str = "t2<script>";

fn hostile_thread() -> ThreadRecord {
    ThreadRecord {
        id: HOSTILE_THREAD.into(),
        seq: 2,
        label: "<script>alert('label')</script>".into(),
        centroid: r#"[{"key":"x","text":"<img src=x onerror=alert(7)>","weight":1.0}]"#.into(),
        size: 1,
        first: Some("2025-01-01".into()),
        last: Some("2025-01-01".into()),
        events: "[]".into(),
    }
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

fn call(
    app: &axum::Router,
    method: Method,
    uri: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Answer {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let req = req.body(Body::from(body.to_string())).expect("request");
    rt().block_on(async {
        let res = app.clone().oneshot(req).await.expect("infallible");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .expect("body");
        Answer {
            status,
            headers,
            body: String::from_utf8(bytes.to_vec()).expect("UTF-8"),
        }
    })
}

fn get(app: &axum::Router, uri: &str) -> Answer {
    call(app, Method::GET, uri, &[], "")
}

fn app_with(n: usize, ingestion: Option<Ingestion>) -> (tempfile::TempDir, axum::Router) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("r.db");
    synthetic_record(&db, n);
    Store::open(&db)
        .unwrap()
        .write_batch(vec![
            Item::Thread(hostile_thread()),
            Item::Article(hostile_article()),
        ])
        .unwrap();
    let app = router(&db, ingestion).expect("router");
    (dir, app)
}

#[test]
fn api_routes_and_the_openapi_document_agree() {
    let doc: Value = serde_json::from_str(OPENAPI).expect("openapi.json is JSON");
    assert_eq!(doc["openapi"], "3.0.3");
    let mut documented = BTreeSet::new();
    for (path, ops) in doc["paths"].as_object().expect("paths") {
        for method in ops.as_object().expect("operations").keys() {
            documented.insert((method.to_uppercase(), path.clone()));
        }
    }
    let routed: BTreeSet<(String, String)> = api::routes()
        .iter()
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    assert_eq!(
        routed, documented,
        "routes in api::routes() vs openapi.json"
    );
    // every $ref resolves
    let text = OPENAPI;
    for part in text.split("\"$ref\": \"#/components/").skip(1) {
        let target = &part[..part.find('"').unwrap()];
        let (kind, name) = target.split_once('/').unwrap();
        assert!(
            doc["components"][kind][name].is_object(),
            "dangling $ref {target}"
        );
    }
}

#[test]
fn every_api_route_answers_its_method() {
    let (_d, app) = app_with(5, None);
    for r in api::routes() {
        let uri = r.path.replace("{id}", "1");
        let a = call(&app, r.method.clone(), &uri, &[], "{}");
        assert_ne!(
            a.status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{} {uri}",
            r.method
        );
        assert!(
            !a.body.contains("no such page"),
            "{} {uri} fell through: {}",
            r.method,
            a.body
        );
        assert!(
            a.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json"),
            "{uri}"
        );
    }
}

#[test]
fn person_page_with_1000_statements_pages_through_all() {
    let (_d, app) = app_with(1000, None);
    let a = get(&app, "/people/per%3Aroe%3Ajn");
    assert_eq!(a.status, StatusCode::OK);
    // 100 a page, ten pages, every statement once
    assert_eq!(a.body.matches("<tr class=\"quote\"").count(), 100);
    assert!(a.body.contains("1–100 of 1000, newest first"));
    let mut seen = BTreeSet::new();
    for n in 1..=10 {
        let p = get(&app, &format!("/people/per%3Aroe%3Ajn?page={n}"));
        assert_eq!(p.status, StatusCode::OK);
        for part in p.body.split("data-statement=\"").skip(1) {
            let id = part.split('"').next().unwrap_or_default().to_string();
            assert!(seen.insert(id), "a statement on two pages");
        }
        assert_eq!(p.body.contains("rel=\"next\""), n < 10, "page {n}");
    }
    assert_eq!(seen.len(), 1000);
    // one bar per week from the first article to the last (200 articles,
    // 3 days apart: about 86 weeks), and the roles and aliases
    let bars = a.body.matches("<rect").count();
    assert!((80..=95).contains(&bars), "{bars} weekly bars");
    assert_eq!(
        a.body
            .matches("<span class=\"role\">finance minister</span>")
            .count(),
        1
    );
    assert!(a
        .body
        .contains("2024-01-01 … 2025-10-10</a> <span class=\"count\">200 articles</span>"));
    assert!(a.body.contains("Roe"));
    assert!(a.body.trim_end().ends_with("</html>"));
    // the content's markup-like characters are escaped (the oldest
    // statement, on the last page)
    let a = get(&app, "/people/per%3Aroe%3Ajn?page=10");
    let at = a.body.find("Item 0 costs").expect("the first statement");
    let escaped = [
        "Item 0 costs &lt; 0 &amp; more",
        "Item 0 costs &#60; 0 &#38; more",
    ];
    assert!(
        escaped.iter().any(|e| a.body[at..].starts_with(e)),
        "{}",
        &a.body[at..at + 60]
    );
    // its JSON
    let p = get(&app, "/api/people/per%3Aroe%3Ajn?recent=3").json();
    assert_eq!(p["statements"], 1000);
    assert_eq!(p["recent"].as_array().unwrap().len(), 3);
    // more than a page: a link to the next
    let (_d, app) = app_with(1001, None);
    let a = get(&app, "/people/per%3Aroe%3Ajn?page=10");
    assert_eq!(a.body.matches("<tr class=\"quote\"").count(), 100);
    assert!(a.body.contains("href=\"/people/per%3Aroe%3Ajn?page=11\""));
    let a = get(&app, "/people/per%3Aroe%3Ajn?page=11");
    assert_eq!(a.body.matches("<tr class=\"quote\"").count(), 1);
}

/// Every tag in `html` (quoted attribute values blanked): none may come
/// from the hostile input, and no link or source may run script.
pub(crate) fn assert_no_markup_from_input(what: &str, html: &str) {
    const OURS: &[&str] = &[
        "html",
        "head",
        "meta",
        "title",
        "link",
        "body",
        "header",
        "a",
        "b",
        "form",
        "input",
        "button",
        "main",
        "footer",
        "section",
        "h1",
        "h2",
        "p",
        "ol",
        "ul",
        "li",
        "div",
        "span",
        "code",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "nav",
        "article",
        "aside",
        "dl",
        "dt",
        "dd",
        "figure",
        "figcaption",
        "svg",
        "line",
        "text",
        "g",
        "rect",
        "circle",
        "path",
        "label",
        "select",
        "option",
        "mark",
    ];
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        let j = rest[i..].find('>').map(|j| i + j).unwrap_or(rest.len() - 1);
        let tag = &rest[i + 1..j];
        rest = &rest[j + 1..];
        if tag.starts_with('!') {
            continue;
        }
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        assert!(
            OURS.contains(&name.as_str()),
            "{what}: a <{name}> tag that is not ours: <{tag}>"
        );
        // attribute values: quoted, and no script in links
        let mut unquoted = String::new();
        let mut quote = None;
        let mut value = String::new();
        for c in tag.chars() {
            match quote {
                Some(q) if c == q => {
                    let v = value.trim().to_ascii_lowercase();
                    assert!(
                        !(unquoted.ends_with("href=") || unquoted.ends_with("src="))
                            || !(v.starts_with("javascript:")
                                || v.starts_with("data:")
                                || v.starts_with("vbscript:")),
                        "{what}: script link in <{tag}>"
                    );
                    quote = None;
                    value.clear();
                }
                Some(_) => value.push(c),
                None if c == '"' || c == '\'' => quote = Some(c),
                None => unquoted.push(c),
            }
        }
        let lower = unquoted.trim_end_matches('/').to_ascii_lowercase();
        for bad in [
            "onerror",
            "onmouseover",
            "onload",
            "onclick",
            "javascript:",
            "style=",
        ] {
            assert!(!lower.contains(bad), "{what}: {bad} in <{tag}>");
        }
        for attr in lower.split_whitespace().skip(1) {
            assert!(
                attr.ends_with('=') || !attr.contains('='),
                "{what}: unquoted attribute value in <{tag}>"
            );
        }
    }
}

#[test]
fn thread_page_draws_every_statement_coloured_by_stance() {
    let (_d, app) = app_with(12, None);
    let a = get(&app, "/threads/t1");
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    // one dot and one row per statement, dot and badge in its stance
    assert_eq!(a.body.matches("<circle").count(), 12);
    assert_eq!(a.body.matches("<tr class=\"quote\"").count(), 12);
    for (k, st) in STANCES.iter().enumerate() {
        // statements k, k+5, k+10 (of 0..12) take stance k
        let n = (0..12).filter(|j| j % 5 == k).count();
        assert_eq!(
            a.body.matches(&format!("class=\"st-{st}\"")).count(),
            n,
            "{st} dots"
        );
        assert_eq!(
            a.body.matches(&format!("data-stance=\"{st}\"")).count(),
            n,
            "{st} rows"
        );
    }
    // statements in date order: the first row is the earliest article's
    let first = a.body.find("data-statement=").unwrap();
    assert!(a.body[first..].contains("Item 0 costs"));
    // the event, with its principal linked
    assert!(a.body.contains(ROE_EVENT));
    assert!(a.body.contains("href=\"/people/per%3Aroe%3Ajn\""));
    // a dot links to its row, the row to the statement in its article
    let dot = a.body.find("<a href=\"#s").unwrap();
    let anchor = &a.body[dot + 10..dot + 10 + a.body[dot + 10..].find('"').unwrap()];
    assert!(a.body.contains(&format!("id=\"{anchor}\"")), "{anchor}");
    assert!(a.body.contains("href=\"/articles/1#q"));
    // the threads page lists it; person and article pages link to it
    let list = get(&app, "/threads");
    assert!(list.body.contains("href=\"/threads/t1\""));
    assert!(list.body.contains("12 statements in 3 articles"));
    let p = get(&app, "/people/per%3Aroe%3Ajn");
    assert!(p.body.contains("href=\"/threads/t1\""));
    assert!(get(&app, "/articles/1")
        .body
        .contains("href=\"/threads/t1\""));
    // unknown: 404 page
    assert_eq!(get(&app, "/threads/t999").status, StatusCode::NOT_FOUND);
    // its JSON
    let j = get(&app, "/api/threads/t1").json();
    assert_eq!(j["statements"].as_array().unwrap().len(), 12);
    assert_eq!(j["event"]["id"], ROE_EVENT);
    assert_eq!(j["event"]["names"][0], "Jane Roe");
    let e = get(&app, "/api/events/ev%3Ameeting%3Aroe").json();
    assert_eq!(e["type"], "meeting");
    assert_eq!(e["reports"].as_array().unwrap().len(), 3);
    assert_eq!(
        get(&app, "/api/events/ev%3Anone").status,
        StatusCode::NOT_FOUND
    );
}

#[test]
fn threads_api_pages_and_filters() {
    let (_d, app) = app_with(5, None);
    // t1 (5 statements) passes min=2; the hostile thread (1) only min=1
    let p = get(&app, "/api/threads").json();
    assert_eq!(p["total"], 1);
    assert_eq!(p["items"][0]["id"], "t1");
    assert_eq!(p["items"][0]["statements"], 5);
    let p = get(&app, "/api/threads?min=1&limit=1").json();
    assert_eq!(p["total"], 2);
    assert_eq!(p["items"].as_array().unwrap().len(), 1);
    assert_eq!(p["next"], "/api/threads?min=1&limit=1&offset=1");
    let p2 = get(&app, "/api/threads?min=1&limit=1&offset=1").json();
    assert_eq!(p2["items"][0]["id"], HOSTILE_THREAD);
    assert!(p2["next"].is_null());
    // about: only threads with a statement matching the words
    let p = get(&app, "/api/threads?min=1&about=onerror").json();
    assert_eq!(p["total"], 1);
    assert_eq!(p["items"][0]["id"], HOSTILE_THREAD);
    for bad in [
        "/api/threads?min=0",
        "/api/threads?limit=x",
        "/api/threads?sort=1",
    ] {
        assert_eq!(get(&app, bad).status, StatusCode::BAD_REQUEST, "{bad}");
    }
}

#[test]
fn hostile_article_renders_as_text() {
    let (_d, app) = app_with(5, None);
    let id = get(&app, "/api/articles/hostile").json()["id"]
        .as_i64()
        .unwrap();
    for uri in [
        format!("/articles/{id}"),
        "/".to_string(),
        "/search?q=alert".to_string(),
        "/search?speaker=Eve".to_string(),
        "/people/per%3Aeve%3Cscript%3E".to_string(),
        "/threads".to_string(),
        "/threads?about=alert".to_string(),
        "/threads/t2%3Cscript%3E".to_string(),
    ] {
        let a = get(&app, &uri);
        assert_eq!(a.status, StatusCode::OK, "{uri}");
        assert_no_markup_from_input(&uri, &a.body);
        assert!(
            a.headers["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("default-src 'none'"),
            "{uri}"
        );
    }
    let a = get(&app, &format!("/articles/{id}"));
    assert!(a
        .body
        .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(a.body.contains("onerror=alert(1)&gt;"));
    assert!(a.body.contains("class=\"hl hl-content\""));
    // javascript: is shown, not linked
    assert!(a
        .body
        .contains("<span class=\"source-url\">javascript:alert(4)</span>"));
}

#[test]
fn errors_are_json_with_a_fitting_status() {
    let (_d, app) = app_with(5, None);
    let check = |a: &Answer, status: u16| {
        assert_eq!(a.status.as_u16(), status, "{}", a.body);
        let e = a.json();
        assert_eq!(e["error"]["status"], status, "{e}");
        assert!(e["error"]["message"].as_str().unwrap().len() > 3, "{e}");
    };
    check(&get(&app, "/api/nope"), 404);
    check(&get(&app, "/api/people/nobody"), 404);
    check(&get(&app, "/api/articles/999999"), 404);
    check(&get(&app, "/api/quotes?limit=0"), 400);
    check(&get(&app, "/api/quotes?limit=1001"), 400);
    check(&get(&app, "/api/quotes?offset=-1"), 400);
    check(&get(&app, "/api/quotes?speakr=Roe"), 400);
    check(&get(&app, "/api/quotes?from=2025-1"), 400);
    check(&get(&app, "/api/quotes?kind=quoted"), 400);
    check(&get(&app, "/api/search"), 400);
    check(&get(&app, "/api/search?q=%20"), 400);
    // neither q nor person: every statement of the record; both: a 400
    let all = get(&app, "/api/timeline");
    assert_eq!(all.status.as_u16(), 200, "{}", all.body);
    let total: u64 = all.json()["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["count"].as_u64().unwrap())
        .sum();
    assert!(total > 0, "{}", all.body);
    check(&get(&app, "/api/timeline?q=a&person=b"), 400);
    check(&get(&app, "/api/timeline?q=a&by=day"), 400);
    check(&call(&app, Method::DELETE, "/api/quotes", &[], ""), 405);
    check(&call(&app, Method::POST, "/api/articles", &[], "{}"), 403);
    // pages answer errors as pages
    let a = get(&app, "/nope");
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert!(a.body.contains("<h1>404 · Not Found</h1>"), "{}", a.body);
    assert_eq!(get(&app, "/people/nobody").status, StatusCode::NOT_FOUND);
    assert_eq!(get(&app, "/articles/0").status, StatusCode::NOT_FOUND);
    assert_eq!(
        get(&app, "/search?from=junk").status,
        StatusCode::BAD_REQUEST
    );
}

#[test]
fn pagination_walks_every_statement_once() {
    let (_d, app) = app_with(23, None);
    let mut url = "/api/quotes?speaker=jane%20roe&limit=5".to_string();
    let mut seen = BTreeSet::new();
    let mut pages = 0;
    loop {
        let p = get(&app, &url).json();
        assert_eq!(p["total"], 23);
        for q in p["items"].as_array().unwrap() {
            assert!(seen.insert(q["id"].as_i64().unwrap()));
        }
        pages += 1;
        match p["next"].as_str() {
            Some(n) => url = n.to_string(),
            None => break,
        }
    }
    assert_eq!((seen.len(), pages), (23, 5));
    let p = get(&app, "/api/people?limit=1").json();
    assert_eq!(p["total"], 2);
    assert_eq!(p["items"][0]["id"], ROE);
    assert_eq!(p["next"], "/api/people?limit=1&offset=1");
    let s = get(&app, "/api/search?q=costs&limit=10&outlet=tass").json();
    assert_eq!(s["total"]["statements"], 10, "{s}");
    assert!(s["statements"][0]["snippet"]
        .as_str()
        .unwrap()
        .contains("**costs**"));
    let t = get(
        &app,
        &format!("/api/timeline?person={}&by=week", "per%3Aroe%3Ajn"),
    )
    .json();
    let sum: u64 = t["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["count"].as_u64().unwrap())
        .sum();
    assert_eq!(sum, 23);
}

/// Records what it was given; answers as a real ingest would.
struct FakeIngest(std::sync::Mutex<Vec<Document>>);

impl Ingest for FakeIngest {
    fn ingest(&self, doc: Document) -> Result<Ingested, Box<dyn std::error::Error + Send + Sync>> {
        let mut seen = self.0.lock().unwrap();
        let again = seen.iter().any(|d| d.id == doc.id && d.text == doc.text);
        let out = Ingested {
            status: if again {
                IngestStatus::Unchanged
            } else {
                IngestStatus::New
            },
            id: 42,
            doc: doc.id.clone(),
            key: format!("api#{}", doc.id),
            attributions: 1,
        };
        seen.push(doc);
        Ok(out)
    }
}

#[test]
fn posting_articles_needs_ingest_and_the_token() {
    let fake = Arc::new(FakeIngest(Default::default()));
    let ingestion = Ingestion {
        token: "s3cret".into(),
        ingest: fake.clone(),
    };
    let (_d, app) = app_with(5, Some(ingestion));
    let post = |headers: &[(&str, &str)], body: &str| {
        call(&app, Method::POST, "/api/articles", headers, body)
    };
    let good =
        r#"{"id": "x1", "text": "“It works,” she said.", "date": "2025-01-02", "authors": "A B"}"#;
    assert_eq!(post(&[], good).status, StatusCode::UNAUTHORIZED);
    let a = post(&[("authorization", "Bearer nope")], good);
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(a.headers["www-authenticate"], "Bearer");
    assert_eq!(a.json()["error"]["status"], 401);
    let auth = [("authorization", "Bearer s3cret")];
    for bad in [
        "{",
        "[]",
        r#"{"id": 1}"#,
        r#"{"text": "x", "date": "2025-02-30"}"#,
        r#"{"text": 5}"#,
    ] {
        let a = post(&auth, bad);
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{bad}: {}", a.body);
        assert_eq!(a.json()["error"]["status"], 400);
    }
    let a = post(&auth, good);
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    assert_eq!(a.headers["location"], "/api/articles/42");
    assert_eq!(a.json()["status"], "new");
    assert_eq!(post(&auth, good).status, StatusCode::OK);
    let got = fake.0.lock().unwrap();
    assert_eq!(got[0].id, "x1");
    assert_eq!(got[0].path, "api");
    assert_eq!(got[0].meta.authors, vec!["A B".to_string()]);
    drop(got);
    let a = post(&auth, r#"{"text": "No id."}"#);
    assert!(a.json()["doc"].as_str().unwrap().starts_with("api-"));
    // no token, no server
    let empty = Ingestion {
        token: " ".into(),
        ingest: fake,
    };
    let dir = tempfile::tempdir().unwrap();
    synthetic_record(&dir.path().join("r.db"), 1);
    assert!(matches!(
        router(&dir.path().join("r.db"), Some(empty)),
        Err(ServeError::NoToken)
    ));
    // and no record, no server
    assert!(matches!(
        router(&dir.path().join("missing.db"), None),
        Err(ServeError::Store(_))
    ));
}

/// The person page with 1,000 statements, rendered in-process (SQLite
/// reads and the template, no TCP). Run with `--ignored --nocapture`;
/// `ONRECORD_BENCH_DB=FILE` keeps the record for `bench/serve.sh`.
#[test]
#[ignore]
fn person_page_speed() {
    let dir = tempfile::tempdir().unwrap();
    let db = std::env::var_os("ONRECORD_BENCH_DB")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.path().join("r.db"));
    let _ = std::fs::remove_file(&db);
    synthetic_record(&db, 1000);
    let app = router(&db, None).unwrap();
    let mut times = Vec::new();
    let mut bytes = 0;
    for _ in 0..30 {
        let t = std::time::Instant::now();
        let a = get(&app, "/people/per%3Aroe%3Ajn");
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(
            a.body.matches("<tr class=\"quote\"").count(),
            pages::PERSON_PAGE
        );
        bytes = a.body.len();
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "person page, the first 100 of 1000 statements, {bytes} bytes: min {:.1} ms, median {:.1} ms, max {:.1} ms (30 renders, in-process); record: {}",
        times[0],
        times[times.len() / 2],
        times[times.len() - 1],
        db.display()
    );
}

/// The rows of a CSV download (header first), parsed as RFC 4180.
fn csv_rows(body: &str) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body.as_bytes());
    r.records()
        .map(|rec| {
            rec.expect("a CSV record")
                .iter()
                .map(String::from)
                .collect()
        })
        .collect()
}

/// A download of `uri` in `format`: 200, its content type, an attachment.
fn download(app: &axum::Router, uri: &str, format: &str) -> Answer {
    let sep = if uri.contains('?') { '&' } else { '?' };
    let a = get(app, &format!("{uri}{sep}format={format}"));
    assert_eq!(a.status, StatusCode::OK, "{uri} {format}: {}", a.body);
    let ctype = a.headers["content-type"].to_str().unwrap_or_default();
    let want = if format == "csv" {
        "text/csv"
    } else {
        "application/json"
    };
    assert!(ctype.starts_with(want), "{uri}: {ctype}");
    let disp = a.headers["content-disposition"]
        .to_str()
        .unwrap_or_default();
    assert!(
        disp.starts_with("attachment; filename=\"onrecord-")
            && disp.ends_with(&format!(".{format}\"")),
        "{uri}: {disp}"
    );
    a
}

/// The CSV and the JSON download of `uri` carry the same rows: returns
/// them (header first).
fn same_rows(app: &axum::Router, uri: &str) -> Vec<Vec<String>> {
    let rows = csv_rows(&download(app, uri, "csv").body);
    let json = download(app, uri, "json").json();
    let items = json.as_array().expect("a JSON array");
    assert!(!rows.is_empty(), "{uri}: a header row");
    assert_eq!(rows.len() - 1, items.len(), "{uri}: as many rows");
    for (row, item) in rows[1..].iter().zip(items) {
        for (col, v) in rows[0].iter().zip(row) {
            assert_eq!(item[col].as_str(), Some(v.as_str()), "{uri}: {col}");
        }
    }
    rows
}

/// A record with an article without a headline (and without a URL).
fn app_with_untitled() -> (tempfile::TempDir, axum::Router) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("r.db");
    synthetic_record(&db, 20);
    let mut a = roe_article(50, 2);
    a.key = "synthetic#untitled".into();
    a.doc = "untitled-doc-0042".into();
    a.hash = "h-untitled".into();
    a.title = None;
    a.url = Some("javascript:alert(1)".into());
    Store::open(&db)
        .unwrap()
        .write_batch(vec![Item::Article(a)])
        .unwrap();
    let app = router(&db, None).expect("router");
    (dir, app)
}

#[test]
fn list_pages_answer() {
    let (_d, app) = app_with(40, None);
    for (uri, marker, n) in [
        // Jane Roe and the hostile article's speaker
        ("/people", "class=\"person-row\"", 2),
        ("/people?sort=name", "class=\"person-row\"", 2),
        ("/people?name=ROE", "class=\"person-row\"", 1),
        ("/people?name=nobody+at+all", "class=\"person-row\"", 0),
        ("/articles", "class=\"article-row\"", 9),
        ("/articles?outlet=tass", "class=\"article-row\"", 3),
        (
            "/articles?from=2024-01-07&to=2024-01-13",
            "class=\"article-row\"",
            3,
        ),
        ("/events", "class=\"event-row\"", 1),
        ("/events/ev%3Ameeting%3Aroe", "class=\"article-row\"", 8),
    ] {
        let a = get(&app, uri);
        assert_eq!(a.status, StatusCode::OK, "{uri}");
        assert!(a.headers["content-type"]
            .to_str()
            .unwrap_or_default()
            .starts_with("text/html"));
        assert_eq!(a.body.matches(marker).count(), n, "{uri}");
        assert_no_markup_from_input(uri, &a.body);
    }
    // the event page names its people and links its thread
    let e = get(&app, "/events/ev%3Ameeting%3Aroe");
    assert!(e.body.contains("href=\"/people/per%3Aroe%3Ajn\""));
    assert!(e.body.contains(&format!("href=\"/threads/{ROE_THREAD}\"")));
    // the thread links the event's page, not the API's JSON
    let t = get(&app, &format!("/threads/{ROE_THREAD}"));
    assert!(t.body.contains("href=\"/events/ev%3Ameeting%3Aroe\""));
    assert!(!t.body.contains("href=\"/api/events/"));
    for (uri, status) in [
        ("/events/ev%3Anone", StatusCode::NOT_FOUND),
        ("/people?sort=age", StatusCode::BAD_REQUEST),
        ("/articles?from=20x6", StatusCode::BAD_REQUEST),
        ("/articles?format=xml", StatusCode::BAD_REQUEST),
        (
            "/people/per%3Aroe%3Ajn?stance=angry",
            StatusCode::BAD_REQUEST,
        ),
        ("/people/per%3Aroe%3Ajn?from=soon", StatusCode::BAD_REQUEST),
        ("/search?stance=angry", StatusCode::BAD_REQUEST),
        ("/threads/t1?stance=maybe", StatusCode::BAD_REQUEST),
    ] {
        assert_eq!(get(&app, uri).status, status, "{uri}");
    }
    // paging: 50 a page
    let (_d, app) = app_with(300, None);
    let a = get(&app, "/articles");
    assert_eq!(a.body.matches("class=\"article-row\"").count(), 50);
    assert!(a.body.contains("href=\"/articles?page=2\""));
    let a = get(&app, "/articles?page=2");
    assert_eq!(a.body.matches("class=\"article-row\"").count(), 11);
    assert!(!a.body.contains("rel=\"next\""));
}

#[test]
fn exports_carry_the_rows_shown() {
    let (_d, app) = app_with(40, None);
    for (uri, marker) in [
        ("/people", "class=\"person-row\""),
        ("/articles?outlet=Reuters", "class=\"article-row\""),
        ("/events", "class=\"event-row\""),
        ("/events/ev%3Ameeting%3Aroe", "class=\"article-row\""),
        ("/people/per%3Aroe%3Ajn", "data-statement=\""),
        (
            "/people/per%3Aroe%3Ajn?kind=direct&outlet=AP",
            "data-statement=\"",
        ),
        ("/search?speaker=Roe&page=2", "data-statement=\""),
        ("/search?q=costs", "class=\"hit\""),
        ("/threads/t1", "data-statement=\""),
        ("/threads/t1?stance=hide", "data-statement=\""),
    ] {
        let page = get(&app, uri);
        assert_eq!(page.status, StatusCode::OK, "{uri}");
        let rows = same_rows(&app, uri);
        let mut shown = page.body.matches(marker).count();
        if uri.starts_with("/search?q=") {
            // statement hits, then the article hits in their own download
            let articles = same_rows(&app, &format!("{uri}&what=articles"));
            assert!(articles.len() > 1);
            shown -= articles.len() - 1;
        }
        assert!(shown > 0, "{uri}: rows shown");
        assert_eq!(rows.len() - 1, shown, "{uri}: the rows shown");
        // the page links its downloads, with its filters
        let q = uri.split_once('?').map(|(_, q)| q.replace('&', "&amp;"));
        let link = match &q {
            Some(q) => format!("?{q}&amp;format=csv"),
            None => "?format=csv".into(),
        };
        let body = page.body.replace("&#38;", "&amp;");
        assert!(body.contains(&link), "{uri}: a CSV link {link}");
    }
    // a statement's row: what the table shows, with its sources
    let rows = same_rows(&app, "/people/per%3Aroe%3Ajn?kind=direct&outlet=AP");
    assert_eq!(
        rows[0],
        [
            "id",
            "date",
            "speaker",
            "cue",
            "content",
            "kind",
            "stance",
            "outlet",
            "thread",
            "article_id",
            "article",
            "article_page",
            "original",
        ]
    );
    for r in &rows[1..] {
        assert_eq!((&r[3][..], &r[5][..], &r[7][..]), ("said", "direct", "AP"));
        assert!(r[4].starts_with("“Item ") && r[4].contains("< ") && r[4].contains("& more"));
        assert!(r[10].starts_with("Roe on the budget, part "));
        assert!(r[11].starts_with("/articles/") && r[11].contains("#q"));
        assert!(r[12].starts_with("https://example.org/roe/"));
    }
    // hidden stance: no stance column
    let rows = same_rows(&app, "/threads/t1?stance=hide");
    assert!(!rows[0].iter().any(|c| c == "stance"));
}

#[test]
fn filters_change_what_is_listed() {
    let (_d, app) = app_with(200, None);
    let n = |uri: &str| same_rows(&app, uri).len() - 1;
    let all = n("/people/per%3Aroe%3Ajn");
    assert_eq!(all, 100, "a page");
    for (uri, col, want, count) in [
        ("/people/per%3Aroe%3Ajn?stance=hopes", 6, "hopes", 40),
        ("/people/per%3Aroe%3Ajn?kind=mixed", 5, "mixed", 67),
        ("/people/per%3Aroe%3Ajn?outlet=tass", 7, "TASS", 70),
        (
            "/people/per%3Aroe%3Ajn?thread=t1&stance=denies",
            6,
            "denies",
            40,
        ),
        ("/search?stance=doubts", 6, "doubts", 20),
    ] {
        let rows = same_rows(&app, uri);
        assert_eq!(
            rows.len() - 1,
            count.min(if uri.starts_with("/search") { 20 } else { 100 }),
            "{uri}"
        );
        assert!(rows[1..].iter().all(|r| r[col] == want), "{uri}");
        let page = get(&app, uri);
        assert!(
            page.body.contains(&format!(" of {count} selected of 200"))
                || uri.starts_with("/search"),
            "{uri}"
        );
    }
    assert_eq!(n("/people/per%3Aroe%3Ajn?thread=t-none"), 0);
    // February 2024: articles 10 to 18, five statements each
    assert_eq!(n("/people/per%3Aroe%3Ajn?from=2024-02&to=2024-02"), 45);
    assert_eq!(n("/articles?outlet=AP"), 13);
    assert_eq!(n("/articles?outlet=nowhere"), 0);
    assert_eq!(n("/people?name=jane"), 1);
    assert_eq!(n("/people?name=smith"), 0);
    // the thread page without stances
    let t = get(&app, "/threads/t1?stance=hide");
    assert!(!t.body.contains("class=\"stance "), "no stance badges");
    assert!(
        t.body.contains("href=\"/threads/t1\""),
        "a link to show them"
    );
    let t = get(&app, "/threads/t1");
    assert!(t.body.contains("href=\"/threads/t1?stance=hide\""));
}

#[test]
fn statements_show_cue_sources_and_a_muted_stance() {
    let (_d, app) = app_with(10, None);
    for uri in [
        "/",
        "/people/per%3Aroe%3Ajn",
        "/threads/t1",
        "/search?speaker=Roe",
        "/search?q=costs",
    ] {
        let a = get(&app, uri);
        assert_eq!(a.status, StatusCode::OK, "{uri}");
        assert!(
            a.body.contains("<span class=\"cue-text\">said</span>"),
            "{uri}: the cue"
        );
        assert!(
            a.body.contains("class=\"article-link\" href=\"/articles/"),
            "{uri}"
        );
        assert!(
            a.body
                .contains("class=\"original\" href=\"https://example.org/roe/"),
            "{uri}: the original"
        );
        if uri != "/search?q=costs" {
            assert!(
                a.body
                    .contains("title=\"stance is a weak signal: 0.504 accuracy"),
                "{uri}"
            );
        }
    }
    // the article page: URL, outlet and date at the top
    let a = get(&app, "/articles/roe-0001");
    assert!(a.body.contains(
        "<a class=\"source-url\" href=\"https://example.org/roe/1\" rel=\"noopener noreferrer nofollow\">https://example.org/roe/1</a>"
    ));
    assert!(a.body.contains("<span class=\"outlet\">Reuters</span>"));
}

#[test]
fn untitled_articles_go_by_their_first_words() {
    let (_d, app) = app_with_untitled();
    let head = "Ünïcode headline: Jane Roe on the budget “Item 5000 costs…";
    for uri in [
        "/articles",
        "/people/per%3Aroe%3Ajn",
        "/threads/t1",
        "/search?q=costs",
    ] {
        let a = get(&app, uri);
        assert!(
            a.body.contains(head),
            "{uri}: {}",
            &a.body[..200.min(a.body.len())]
        );
        assert!(!a.body.contains(">untitled-doc-0042<"), "{uri}");
        // its URL is no web link: never a link
        assert!(!a.body.contains("href=\"javascript:"), "{uri}");
    }
    let a = get(&app, "/articles/untitled-doc-0042");
    assert!(a.body.contains(&format!("<h1>{head}</h1>")));
    let rows = same_rows(&app, "/articles");
    assert!(rows.iter().any(|r| r[3] == head));
}
