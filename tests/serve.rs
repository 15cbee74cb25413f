//! `onrecord serve` end to end: the real binary on a record ingested from
//! the seeds, PolNeAR dev and a hostile article, over real HTTP. The API
//! is compared with the CLI's JSON, the OpenAPI document with what the
//! server answers, the pages checked for escaping, and `POST
//! /api/articles` against `onrecord ingest`.

mod common;

use common::http::{request, scratch, Response, Server};
use common::{fixture, root, run};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn polnear_dev() -> PathBuf {
    root().join("../shared/data/polnear/dev/text")
}

/// The record every read-only test shares: seeds, PolNeAR dev, and the
/// hostile article (built once per test process).
fn record() -> &'static Path {
    static DB: OnceLock<PathBuf> = OnceLock::new();
    DB.get_or_init(|| {
        let db = scratch("serve-record").join("record.db");
        let r = run(&[
            "ingest".as_ref(),
            "--db".as_ref(),
            db.as_os_str(),
            root().join("examples").as_os_str(),
            polnear_dev().as_os_str(),
            fixture("hostile.jsonl").as_os_str(),
        ]);
        assert_eq!(r.code, Some(0), "{}", r.describe());
        db
    })
}

thread_local! {
    /// The read-only server of one test (each test runs on a thread of its
    /// own: the server is killed when the test ends, however it ends).
    static SERVER: Server = Server::start(record(), &[], &[]);
}

/// The address of this test's read-only server on [`record`].
struct Remote {
    addr: String,
}

impl Remote {
    fn get(&self, target: &str) -> Response {
        request(&self.addr, "GET", target, &[], b"")
    }
}

fn server() -> Remote {
    SERVER.with(|s| Remote {
        addr: s.addr.clone(),
    })
}

/// `onrecord ARGS... --db RECORD --json`, parsed.
fn cli(args: &[&str]) -> Value {
    let mut a: Vec<&std::ffi::OsStr> = args.iter().map(|s| s.as_ref()).collect();
    a.extend(["--db".as_ref(), record().as_os_str(), "--json".as_ref()]);
    let r = run(&a);
    // 1: nothing matched (the JSON is then empty)
    assert!(matches!(r.code, Some(0 | 1)), "{args:?}\n{}", r.describe());
    serde_json::from_str(&r.stdout).unwrap()
}

fn get_json(path: &str) -> Value {
    let r = server().get(path);
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    assert_eq!(r.header("content-type"), Some("application/json"), "{path}");
    r.json()
}

fn lavrov_id() -> String {
    let p = cli(&["person", "Sergey Lavrov"]);
    p["id"]
        .as_str()
        .expect("Lavrov is in the record")
        .to_string()
}

/// The seeds' thread on the Alaska/Anchorage understandings.
fn seed_thread() -> String {
    let r = run(&[
        "threads".as_ref(),
        "--about".as_ref(),
        "Anchorage".as_ref(),
        "--db".as_ref(),
        record().as_os_str(),
        "--jsonl".as_ref(),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    // JSON lines, largest thread first
    let first: Value = serde_json::from_str(r.stdout.lines().next().expect("a thread")).unwrap();
    first["id"].as_str().expect("an id").to_string()
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[test]
fn api_answers_what_the_cli_answers() {
    // quotes, with the CLI's filters
    for (api, args) in [
        (
            "/api/quotes?speaker=Ushakov&limit=1000",
            vec!["quotes", "--speaker", "Ushakov", "--limit", "0"],
        ),
        (
            "/api/quotes?speaker=lavrov&from=2026-01&outlet=tass&kind=direct&limit=1000",
            vec![
                "quotes",
                "--speaker",
                "lavrov",
                "--from",
                "2026-01",
                "--outlet",
                "tass",
                "--kind",
                "direct",
                "--limit",
                "0",
            ],
        ),
        (
            "/api/quotes?about=Anchorage%20spirit&to=2026-02&limit=1000",
            vec![
                "quotes",
                "--about",
                "Anchorage spirit",
                "--to",
                "2026-02",
                "--limit",
                "0",
            ],
        ),
        ("/api/quotes", vec!["quotes"]),
    ] {
        let page = get_json(api);
        let want = cli(&args);
        assert!(
            !want.as_array().unwrap().is_empty(),
            "{args:?} finds nothing"
        );
        assert_eq!(page["items"], want, "{api}");
        assert_eq!(page["offset"], 0);
        let total = page["total"].as_u64().unwrap();
        assert!(total >= want.as_array().unwrap().len() as u64);
    }
    // search: same hits, same snippets
    let s = get_json("/api/search?q=%22mutual%20respect%22");
    let want = cli(&["search", "\"mutual respect\""]);
    assert_eq!(s["statements"], want["statements"]);
    assert_eq!(s["articles"], want["articles"]);
    assert_eq!(s["query"], want["query"]);
    assert!(s["total"]["statements"].as_u64().unwrap() >= 1);
    // people, a person, an article, a timeline
    assert_eq!(get_json("/api/people")["items"], cli(&["people"]));
    let id = lavrov_id();
    let mut want = cli(&["person", "Sergey Lavrov"]);
    want["also_matched"] = Value::Array(vec![]);
    assert_eq!(get_json(&format!("/api/people/{}", enc(&id))), want);
    let mut a = get_json("/api/articles/004_ada9b50bf52b2923");
    assert!(!a["mentions"].as_array().unwrap().is_empty());
    a.as_object_mut().unwrap().remove("mentions");
    assert_eq!(a, cli(&["show", "004_ada9b50bf52b2923"]));
    let by_row = get_json(&format!("/api/articles/{}", a["id"]));
    assert_eq!(by_row["doc"], "004_ada9b50bf52b2923");
    assert_eq!(
        get_json("/api/timeline?q=Alaska&by=week"),
        cli(&["timeline", "Alaska", "--by", "week"])
    );
    assert_eq!(
        get_json("/api/timeline?q=Lavrov"),
        cli(&["timeline", "Lavrov"])
    );
}

#[test]
fn pages_of_the_api_cover_every_statement_once() {
    let all = cli(&["quotes", "--limit", "0"]);
    let all = all.as_array().unwrap();
    assert!(all.len() > 1000, "{} statements", all.len());
    let mut url = "/api/quotes?limit=300".to_string();
    let mut got = Vec::new();
    while !url.is_empty() {
        let p = get_json(&url);
        assert_eq!(p["total"].as_u64().unwrap(), all.len() as u64);
        assert_eq!(p["limit"], 300);
        got.extend(p["items"].as_array().unwrap().iter().cloned());
        url = p["next"].as_str().unwrap_or("").to_string();
    }
    assert_eq!(&got, all);
    // people too
    let total = get_json("/api/people?limit=1")["total"].as_u64().unwrap();
    let mut seen = BTreeSet::new();
    let mut url = "/api/people?limit=100".to_string();
    while !url.is_empty() {
        let p = get_json(&url);
        for x in p["items"].as_array().unwrap() {
            assert!(seen.insert(x["id"].as_str().unwrap().to_string()));
        }
        url = p["next"].as_str().unwrap_or("").to_string();
    }
    assert_eq!(seen.len() as u64, total);
}

/// One request and the status it must get.
struct Case {
    /// The document's path template and method.
    path: &'static str,
    method: &'static str,
    target: String,
    headers: Vec<(&'static str, String)>,
    body: String,
    status: u16,
    /// `true`: the read-only server; `false`: the one with --allow-ingest.
    read_only: bool,
}

fn case(path: &'static str, target: impl Into<String>, status: u16) -> Case {
    Case {
        path,
        method: "get",
        target: target.into(),
        headers: Vec::new(),
        body: String::new(),
        status,
        read_only: true,
    }
}

fn post(status: u16, token: Option<&str>, body: &str, read_only: bool) -> Case {
    Case {
        path: "/api/articles",
        method: "post",
        target: "/api/articles".into(),
        headers: token
            .map(|t| vec![("Authorization", format!("Bearer {t}"))])
            .unwrap_or_default(),
        body: body.into(),
        status,
        read_only,
    }
}

/// `$ref`s resolved.
fn resolve<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v["$ref"].as_str() {
        Some(r) => {
            let mut at = doc;
            for part in r.trim_start_matches("#/").split('/') {
                at = &at[part];
            }
            at
        }
        None => v,
    }
}

/// The top level of `got` against `schema`: the type, every required
/// field present, no field the document does not name, and the type of
/// each field.
fn conforms(doc: &Value, schema: &Value, got: &Value, what: &str) {
    let schema = resolve(doc, schema);
    match schema["type"].as_str() {
        Some("object") => {
            let obj = got
                .as_object()
                .unwrap_or_else(|| panic!("{what}: not an object: {got}"));
            for r in schema["required"].as_array().into_iter().flatten() {
                assert!(
                    obj.contains_key(r.as_str().unwrap()),
                    "{what}: no `{r}` in {got}"
                );
            }
            if let Some(props) = schema["properties"].as_object() {
                for (k, v) in obj {
                    let p = props
                        .get(k)
                        .unwrap_or_else(|| panic!("{what}: `{k}` is not in the document"));
                    let p = resolve(doc, p);
                    if v.is_null() {
                        assert!(p["nullable"] == true, "{what}: `{k}` is null");
                        continue;
                    }
                    let ok = match p["type"].as_str() {
                        Some("string") => v.is_string(),
                        Some("integer") => v.is_i64() || v.is_u64(),
                        Some("number") => v.is_number(),
                        Some("array") => v.is_array(),
                        Some("object") => v.is_object(),
                        Some("boolean") => v.is_boolean(),
                        _ => true,
                    };
                    assert!(ok, "{what}: `{k}` is {v}, not {}", p["type"]);
                    if let (Some(e), Some(s)) = (p["enum"].as_array(), v.as_str()) {
                        assert!(e.iter().any(|x| x == s), "{what}: `{k}` = {s:?}");
                    }
                }
            }
        }
        Some("array") => assert!(got.is_array(), "{what}: not an array"),
        _ => {}
    }
}

fn send(addr: &str, c: &Case) -> Response {
    let headers: Vec<(&str, &str)> = c.headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    request(
        addr,
        &c.method.to_uppercase(),
        &c.target,
        &headers,
        c.body.as_bytes(),
    )
}

#[test]
fn the_openapi_document_is_what_the_server_does() {
    let doc = get_json("/api/openapi.json");
    let lavrov = enc(&lavrov_id());
    let article = r#"{"id": "doc-1", "text": "“It is settled,” the minister said on Tuesday.", "date": "2026-01-06", "title": "T", "outlet": "TASS", "authors": ["A B"]}"#;
    let cases = vec![
        case("/api/quotes", "/api/quotes?speaker=Lavrov&limit=2", 200),
        case("/api/quotes", "/api/quotes?kind=quoted", 400),
        case(
            "/api/search",
            "/api/search?q=Anchorage&outlet=TASS&from=2026",
            200,
        ),
        case("/api/search", "/api/search?speaker=x", 400),
        case("/api/people", "/api/people?limit=5&offset=2", 200),
        case("/api/people", "/api/people?limit=many", 400),
        case(
            "/api/people/{id}",
            format!("/api/people/{lavrov}?recent=2"),
            200,
        ),
        case(
            "/api/people/{id}",
            format!("/api/people/{lavrov}?recent=-1"),
            400,
        ),
        case("/api/people/{id}", "/api/people/per%3Anobody%3Ax", 404),
        case("/api/articles/{id}", "/api/articles/1", 200),
        case("/api/articles/{id}", "/api/articles/no-such-article", 404),
        case("/api/timeline", "/api/timeline?q=Alaska&by=week", 200),
        case(
            "/api/timeline",
            format!("/api/timeline?person={lavrov}"),
            200,
        ),
        case("/api/timeline", "/api/timeline?by=year&q=x", 400),
        case(
            "/api/threads",
            "/api/threads?about=Anchorage&min=2&limit=5",
            200,
        ),
        case("/api/threads", "/api/threads?min=0", 400),
        case(
            "/api/threads/{id}",
            format!("/api/threads/{}", enc(&seed_thread())),
            200,
        ),
        case("/api/threads/{id}", "/api/threads/t0", 404),
        case(
            "/api/events/{id}",
            "/api/events/ev%3Ameeting%3Aputin-trump",
            200,
        ),
        case("/api/events/{id}", "/api/events/ev%3Anothing", 404),
        case("/api/openapi.json", "/api/openapi.json", 200),
        post(403, Some("t0ken"), article, true),
        post(401, None, article, false),
        post(401, Some("wrong"), article, false),
        post(400, Some("t0ken"), "{not json", false),
        post(400, Some("t0ken"), r#"{"title": "no text"}"#, false),
        post(201, Some("t0ken"), article, false),
        post(200, Some("t0ken"), article, false),
        Case {
            headers: vec![
                ("Authorization", "Bearer t0ken".into()),
                ("Content-Length", (64u64 * 1024 * 1024 + 1).to_string()),
            ],
            ..post(413, None, "", false)
        },
    ];
    // every operation refuses a Host that is not the server's
    let mut cases = cases;
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            let path: &'static str = Box::leak(path.clone().into_boxed_str());
            cases.push(Case {
                method: if method == "post" { "post" } else { "get" },
                headers: vec![("Host", "onrecord.evil.example".into())],
                ..case(path, path.replace("{id}", "1"), 421)
            });
        }
    }
    // the server that writes works on a copy of nothing: a new record
    let dir = scratch("serve-openapi");
    let db = dir.join("new.db");
    let writer = Server::start(&db, &["--allow-ingest"], &[("ONRECORD_TOKEN", "t0ken")]);

    let mut covered: BTreeSet<(String, String, String)> = BTreeSet::new();
    for c in &cases {
        let addr = if c.read_only {
            server().addr
        } else {
            writer.addr.clone()
        };
        let what = format!("{} {} ({})", c.method, c.target, c.status);
        let r = send(&addr, c);
        assert_eq!(r.status, c.status, "{what}: {}", r.body);
        let op = &doc["paths"][c.path][c.method];
        assert!(
            op.is_object(),
            "{what}: {} {} is not in the document",
            c.method,
            c.path
        );
        let documented = &op["responses"][c.status.to_string()];
        assert!(
            documented.is_object(),
            "{what}: status {} is not documented",
            c.status
        );
        let schema = &documented["content"]["application/json"]["schema"];
        if schema.is_object() {
            assert!(
                r.header("content-type")
                    .unwrap_or("")
                    .starts_with("application/json"),
                "{what}"
            );
            let body = r.json();
            conforms(&doc, schema, &body, &what);
            if c.status >= 400 {
                assert_eq!(body["error"]["status"], c.status, "{what}");
            }
        }
        // the parameters sent are all documented for the operation
        if let Some((_, q)) = c.target.split_once('?') {
            let names: BTreeSet<String> = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| resolve(&doc, p)["name"].as_str().unwrap().to_string())
                .collect();
            for pair in q.split('&') {
                let k = pair.split('=').next().unwrap();
                assert!(names.contains(k), "{what}: parameter {k} is not documented");
            }
        }
        covered.insert((c.path.into(), c.method.into(), c.status.to_string()));
    }
    // every documented operation and status was seen
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            for status in op["responses"].as_object().unwrap().keys() {
                assert!(
                    covered.contains(&(path.clone(), method.clone(), status.clone())),
                    "{method} {path} {status} is documented but not tested"
                );
            }
        }
    }
    // a loopback server answers only to its own names (no DNS rebinding)
    let addr = server().addr;
    let port = addr.rsplit(':').next().unwrap().to_string();
    for host in [format!("evil.example:{port}"), "127.0.0.1:1".to_string()] {
        let r = request(&addr, "GET", "/api/people", &[("Host", &host)], b"");
        assert_eq!(r.status, 421, "{host}");
    }
    let local = format!("localhost:{port}");
    assert_eq!(
        request(&addr, "GET", "/api/people", &[("Host", &local)], b"").status,
        200
    );
    // and nothing under /api answers that the document does not list
    assert_eq!(server().get("/api/quote").status, 404);
    assert_eq!(server().get("/api").status, 404);
    assert_eq!(
        request(&server().addr, "PUT", "/api/people", &[], b"").status,
        405
    );
    let mut ids = BTreeMap::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for op in ops.as_object().unwrap().values() {
            assert!(
                ids.insert(
                    op["operationId"].as_str().unwrap().to_string(),
                    path.clone()
                )
                .is_none(),
                "operationIds are unique"
            );
        }
    }
}

/// Every tag in `html`, with quoted attribute values blanked: none may come
/// from the article (only the pages' own tags), none may carry an event
/// handler, no link may run script.
fn assert_only_our_markup(what: &str, html: &str) {
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
        let j = i + rest[i..].find('>').expect("tags close");
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
        assert!(OURS.contains(&name.as_str()), "{what}: <{tag}> is not ours");
        let mut outside = String::new();
        let mut quote = None;
        let mut value = String::new();
        for c in tag.chars() {
            match quote {
                Some(q) if c == q => {
                    let v = value.trim().to_ascii_lowercase();
                    if outside.ends_with("href=") || outside.ends_with("src=") {
                        assert!(
                            v.starts_with('/')
                                || v.starts_with("http://")
                                || v.starts_with("https://")
                                || v.starts_with('#'),
                            "{what}: link {v:?} in <{tag}>"
                        );
                    }
                    quote = None;
                    value.clear();
                }
                Some(_) => value.push(c),
                None if c == '"' || c == '\'' => quote = Some(c),
                None => outside.push(c),
            }
        }
        let outside = outside.to_ascii_lowercase();
        for bad in ["onerror", "onmouseover", "onload", "javascript:", "style="] {
            assert!(!outside.contains(bad), "{what}: {bad} in <{tag}>");
        }
    }
}

/// The page with the highlight elements (`<span class="hl …">`, `</span>`)
/// taken out, to read the article text across highlight boundaries.
fn without_highlights(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("<span class=\"hl ") {
        out.push_str(&rest[..i]);
        rest = rest[i..].split_once('>').map_or("", |x| x.1);
    }
    out.push_str(rest);
    out.replace("</span>", "")
}

#[test]
fn a_hostile_article_renders_as_text() {
    let a = get_json("/api/articles/hostile-1");
    let id = a["id"].as_i64().unwrap();
    assert!(
        a["attributions"].as_array().unwrap().len() >= 2,
        "the fixture's statements are extracted (so their spans are highlighted): {a:#}"
    );
    let page = server().get(&format!("/articles/{id}"));
    assert_eq!(page.status, 200);
    let html = &page.body;
    assert_only_our_markup("article page", html);
    // the text is all there, escaped (read without our highlight markup,
    // which may start or end inside it)
    let text = without_highlights(html);
    assert!(text.contains("&lt;script&gt;alert(&quot;text&quot;)&lt;/script&gt;"));
    assert!(text.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(text.contains("&lt;a href=&quot;javascript:alert(3)&quot;&gt;a link&lt;/a&gt;"));
    assert!(text.contains("&amp;lt;b&amp;gt; entities &amp; ampersands"));
    // the quote with a script in it is highlighted, as text
    assert!(html.contains("<span class=\"hl hl-content\""));
    let q = &a["attributions"][0];
    assert!(html.contains(&format!("id=\"q{}\"", q["id"])));
    // metadata: escaped; the javascript: URL is not a link
    assert!(!html.contains("href=\"javascript"));
    assert!(html.contains(">javascript:alert(7)</span>"));
    assert!(!html.contains("<img"));
    assert!(!html.contains("<script"));
    assert!(!html.contains("<iframe"));
    // the page forbids scripts anyway
    let csp = page.header("content-security-policy").unwrap();
    assert!(
        csp.contains("default-src 'none'") && !csp.contains("script-src"),
        "{csp}"
    );
    // wherever its strings appear
    let speaker = enc(q["entity"].as_str().unwrap_or("per:hacker:mlr"));
    for target in [
        "/".to_string(),
        "/search?q=alert".into(),
        "/search?q=script&speaker=Mallory".into(),
        "/search?outlet=%3Cb%20onmouseover%3Dalert(8)%3EEvil%20Outlet%3C%2Fb%3E".into(),
        format!("/people/{speaker}"),
        "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E&from=%22%3E%3Cscript%3E".into(),
    ] {
        let r = server().get(&target);
        assert!(r.status == 200 || r.status == 400, "{target}: {}", r.status);
        assert_only_our_markup(&target, &r.body);
    }
}

#[test]
fn the_pages() {
    let home = server().get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.body.contains("id=\"home-search\""));
    assert!(home.body.contains("Most quoted"));
    assert!(home.body.contains("Latest statements"));
    assert!(home.body.contains("Donald J. Trump"));

    let s = server().get("/search?q=Lavrov");
    assert!(s.body.contains(">Sergey Lavrov</a>"), "{}", s.body);
    assert!(s.body.contains("<mark>Lavrov</mark>"));
    let s = server()
        .get("/search?q=understandings&speaker=Ushakov&from=2025-11&to=2025-11-30&kind=direct");
    assert_eq!(s.status, 200);
    assert!(
        s.body
            .contains("These <mark>understandings</mark> remain in working order"),
        "{}",
        s.body
    );
    assert!(!s.body.contains("Anchorage spirit"));
    let browse = server().get("/search?speaker=Lavrov&outlet=TASS");
    assert!(browse.body.contains("<table class=\"quotes\">"));
    assert!(browse.body.contains("<option value=\"TASS\" selected>"));
    let bad = server().get("/search?q=x&from=last%20week");
    assert_eq!(bad.status, 400);
    assert!(
        bad.body.contains("is not a date: expected YYYY"),
        "{}",
        bad.body
    );

    let id = lavrov_id();
    let p = server().get(&format!("/people/{}", enc(&id)));
    assert_eq!(p.status, 200);
    assert!(p.body.contains("<h1>Sergey Lavrov</h1>"));
    assert!(p.body.contains("<svg class=\"chart\""));
    assert!(p.body.contains("Foreign Minister"));
    assert!(p.body.contains("We hope President Trump remains faithful"));
    let rows = p.body.matches("<tr class=\"quote\"").count();
    assert_eq!(
        rows as u64,
        get_json(&format!("/api/people/{}", enc(&id)))["statements"]
            .as_u64()
            .unwrap()
    );

    let a = server().get("/articles/000_e8348c9c7b4e2da3");
    assert_eq!(a.status, 200);
    assert!(a.body.contains(
        "<h1>Moscow Confirms U.S. Still Committed to Alaska Summit Accords on Ukraine</h1>"
    ));
    assert!(a.body.contains("Pavel Morozov"));
    for class in ["hl hl-source", "hl hl-cue", "hl hl-content", "m m-person"] {
        assert!(a.body.contains(&format!("class=\"{class}\"")), "{class}");
    }
    // the seeds' thread: drawn, every statement a dot in its stance colour
    let tid = seed_thread();
    let json = get_json(&format!("/api/threads/{}", enc(&tid)));
    let n = json["statements"].as_array().unwrap().len();
    assert!(n >= 8, "{json:#}");
    let t = server().get(&format!("/threads/{}", enc(&tid)));
    assert_eq!(t.status, 200);
    assert_only_our_markup("thread page", &t.body);
    assert!(t.body.contains("<svg class=\"chart stances\""));
    // one dot per dated statement; undated ones are counted in the legend
    let statements = json["statements"].as_array().unwrap();
    let undated = statements.iter().filter(|q| q["date"].is_null()).count();
    assert_eq!(t.body.matches("<circle class=\"st-").count(), n - undated);
    if undated > 0 {
        assert!(t
            .body
            .contains(&format!("and {undated} undated, listed last")));
    }
    for q in json["statements"].as_array().unwrap() {
        let st = q["stance"].as_str().unwrap();
        assert!(
            t.body.contains(&format!(
                "id=\"s{}\" data-statement=\"{}\" data-stance=\"{st}\"",
                q["id"], q["id"]
            )),
            "{q}"
        );
    }
    assert!(t.body.contains("ev:meeting:putin-trump"));
    assert!(t.body.contains("2025-08-15"));
    let list = server().get("/threads?about=Anchorage");
    assert!(list
        .body
        .contains(&format!("href=\"/threads/{}\"", enc(&tid))));
    let missing = server().get("/articles/nope");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("404"));
    let css = server().get("/static/style.css");
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(css.body.contains(".hl-content"));
}

#[test]
fn posted_articles_go_through_the_ingest_pipeline() {
    let dir = scratch("serve-ingest");
    // refused without a token
    let db = dir.join("x.db");
    for token in [None, Some(""), Some("  ")] {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_onrecord"));
        cmd.args(["serve", "--allow-ingest", "--db"]).arg(&db);
        match token {
            None => cmd.env_remove("ONRECORD_TOKEN"),
            Some(t) => cmd.env("ONRECORD_TOKEN", t),
        };
        let out = cmd.output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("ONRECORD_TOKEN"), "{stderr}");
    }
    // read-only on a missing record: refused, and nothing created
    let r = run(&[
        "serve".as_ref(),
        "--db".as_ref(),
        dir.join("none.db").as_os_str(),
    ]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("no record here"), "{}", r.describe());
    assert!(!dir.join("none.db").exists());

    // the seed, posted as JSON, and the same JSON ingested by the CLI
    let text = std::fs::read_to_string(common::example(common::SEED_000)).unwrap();
    let article = serde_json::json!({
        "id": "seed-000", "text": text, "date": "2025-11-12",
        "title": "Moscow Confirms U.S. Still Committed", "outlet": "Pravda", "authors": ["Pavel Morozov"],
    });
    let jsonl = dir.join("seed.jsonl");
    std::fs::write(&jsonl, format!("{article}\n")).unwrap();
    let cli_db = dir.join("cli.db");
    let r = run(&[
        "ingest".as_ref(),
        "--db".as_ref(),
        cli_db.as_os_str(),
        jsonl.as_os_str(),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    let by_cli = run(&[
        "show".as_ref(),
        "seed-000".as_ref(),
        "--db".as_ref(),
        cli_db.as_os_str(),
        "--json".as_ref(),
    ]);
    let by_cli: Value = serde_json::from_str(&by_cli.stdout).unwrap();

    let db = dir.join("served.db");
    let s = Server::start(&db, &["--allow-ingest"], &[("ONRECORD_TOKEN", "hunter2")]);
    let auth = [
        ("Authorization", "Bearer hunter2"),
        ("Content-Type", "application/json"),
    ];
    let body = article.to_string();
    let r = request(&s.addr, "POST", "/api/articles", &auth, body.as_bytes());
    assert_eq!(r.status, 201, "{}", r.body);
    let made = r.json();
    assert_eq!(made["status"], "new");
    assert_eq!(made["key"], "api#seed-000");
    assert_eq!(
        r.header("location"),
        Some(format!("/api/articles/{}", made["id"]).as_str())
    );
    let stored = s.get(r.header("location").unwrap()).json();
    assert_eq!(
        stored["attributions"].as_array().unwrap().len() as u64,
        made["attributions"].as_u64().unwrap()
    );
    // the same statements as `onrecord ingest` (same pipeline)
    let strip = |v: &Value| -> Vec<Value> {
        v["attributions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| {
                let mut q = q.clone();
                for k in ["id", "article_id", "path"] {
                    q.as_object_mut().unwrap().remove(k);
                }
                q
            })
            .collect()
    };
    assert!(strip(&stored).len() >= 5);
    assert_eq!(strip(&stored), strip(&by_cli));
    assert_eq!(stored["title"], "Moscow Confirms U.S. Still Committed");
    // again: unchanged; changed: updated (replaced)
    let r = request(&s.addr, "POST", "/api/articles", &auth, body.as_bytes());
    assert_eq!(
        (r.status, r.json()["status"].clone()),
        (200, "unchanged".into())
    );
    let mut changed = article.clone();
    changed["text"] = Value::String(text.replace("Ushakov stated", "Ushakov declared"));
    let r = request(
        &s.addr,
        "POST",
        "/api/articles",
        &auth,
        changed.to_string().as_bytes(),
    );
    assert_eq!(
        (r.status, r.json()["status"].clone()),
        (201, "updated".into())
    );
    assert_eq!(
        r.json()["id"],
        made["id"],
        "the same article, its rows replaced"
    );
    let q = s.get("/api/quotes?speaker=Ushakov").json();
    assert!(
        q["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["cue"] == "declared"),
        "{q:#}"
    );
    assert!(!q["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["cue"] == "stated"));
    // and the pages show it, its statements grouped into threads as
    // `onrecord ingest` groups them
    assert!(s.get("/").body.contains("Yuri Ushakov"));
    let threads = s.get("/api/threads?min=1").json();
    assert!(threads["total"].as_u64().unwrap() >= 1, "{threads:#}");
    // errors
    assert_eq!(
        request(&s.addr, "POST", "/api/articles", &[], body.as_bytes()).status,
        401
    );
    let r = request(&s.addr, "POST", "/api/articles", &auth, b"{\"text\": 1}");
    assert_eq!(r.status, 400);
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("text"));
    let r = request(&s.addr, "POST", "/api/articles", &auth, b"\xff\xfe");
    assert_eq!(r.status, 400);
    drop(s);
    // what was written is a record like any other
    let r = run(&[
        "quotes".as_ref(),
        "--speaker".as_ref(),
        "Ushakov".as_ref(),
        "--db".as_ref(),
        db.as_os_str(),
        "--json".as_ref(),
    ]);
    assert_eq!(r.code, Some(0));
}

#[test]
fn posted_web_pages_are_read_as_web_pages() {
    // `html` instead of `text`: the page's main text and metadata, as a
    // .html file gives them to `onrecord read`
    let dir = scratch("serve-ingest-html");
    let page = std::fs::read_to_string("tests/fixtures/html/reuters.com.parasite.html").unwrap();
    let file = dir.join("page.html");
    std::fs::write(&file, &page).unwrap();
    let read = run(&["read".as_ref(), file.as_os_str()]);
    assert_eq!(read.code, Some(0), "{}", read.describe());
    let read: Value = serde_json::from_str(read.stdout.trim()).unwrap();

    let db = dir.join("served.db");
    let s = Server::start(&db, &["--allow-ingest"], &[("ONRECORD_TOKEN", "t0ken")]);
    let auth = [
        ("Authorization", "Bearer t0ken"),
        ("Content-Type", "application/json"),
    ];
    let body = serde_json::json!({
        "id": "parasite", "html": page,
        "url": "https://www.reuters.com/article/us-awards-sag-idUSKBN1ZI0EH",
    })
    .to_string();
    let r = request(&s.addr, "POST", "/api/articles", &auth, body.as_bytes());
    assert_eq!(r.status, 201, "{}", r.body);
    let stored = s.get(r.header("location").unwrap()).json();
    assert_eq!(
        stored["text"], read["text"],
        "the extracted text, not the markup"
    );
    assert!(!stored["text"].as_str().unwrap().contains('<'));
    assert_eq!(
        stored["title"],
        "'Parasite' scores historic upset at SAG awards, boosting Oscar chances"
    );
    assert_eq!(stored["outlet"], "Reuters");
    assert_eq!(stored["date"], "2020-01-19");
    assert!(!stored["attributions"].as_array().unwrap().is_empty());
    // the page's other metadata is kept with it, as `read` gives it
    for field in ["language", "modified", "description"] {
        assert_eq!(stored[field], read[field], "{field}");
    }
    assert_eq!(stored["language"], "en");
    assert_eq!(stored["note"], Value::Null);
    assert_eq!(
        stored["format"], "json",
        "a JSON record that carries a page"
    );
    // a page that holds no article is a 400 saying so
    let r = request(
        &s.addr,
        "POST",
        "/api/articles",
        &auth,
        br#"{"html": "<html><body><nav>Home</nav></body></html>"}"#,
    );
    assert_eq!(r.status, 400, "{}", r.body);
}
