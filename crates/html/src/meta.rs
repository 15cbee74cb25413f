//! Metadata: JSON-LD, OpenGraph and `article:*` meta tags, `<time>`,
//! bylines and URL date patterns, in that order of trust.

use crate::date::{parse_date, url_date, Ymd};
use crate::dom::{tag, Dom, NodeId};
use crate::Hints;
use serde_json::Value;

/// What the metadata pass found.
#[derive(Default, Debug)]
pub struct Meta {
    pub title: Option<String>,
    pub date: Option<String>,
    pub modified: Option<String>,
    pub authors: Vec<String>,
    pub site_name: Option<String>,
    pub url: Option<String>,
    pub language: Option<String>,
    pub description: Option<String>,
    /// The JSON-LD `articleBody`, for pages whose HTML does not carry the text.
    pub article_body: Option<String>,
}

/// Fields read from the JSON-LD blocks (the article object's when there is one).
#[derive(Default, Debug)]
struct Ld {
    headline: Option<String>,
    published: Vec<String>,
    modified: Vec<String>,
    authors: Vec<String>,
    publisher: Option<String>,
    url: Option<String>,
    language: Option<String>,
    description: Option<String>,
    article_body: Option<String>,
    /// The rank of the object these came from: 2 article types, 1 web page, 0 other.
    rank: u8,
}

const ARTICLE_TYPES: [&str; 12] = [
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "blogposting",
    "liveblogposting",
    "socialmediaposting",
    "techarticle",
    "scholarlyarticle",
];

fn type_rank(v: &Value) -> u8 {
    let rank_of = |s: &str| {
        let s = s.rsplit('/').next().unwrap_or(s).to_ascii_lowercase();
        if ARTICLE_TYPES.contains(&s.as_str()) || s.ends_with("article") {
            2
        } else if s == "webpage" || s == "itempage" {
            1
        } else {
            0
        }
    };
    match v.get("@type") {
        Some(Value::String(s)) => rank_of(s),
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(rank_of)
            .max()
            .unwrap_or(0),
        _ => 0,
    }
}

fn str_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => {
            let s = clean_ws(s);
            (!s.is_empty()).then_some(s)
        }
        Value::Array(a) => a.iter().find_map(str_of),
        Value::Object(o) => o.get("name").or_else(|| o.get("@value")).and_then(str_of),
        _ => None,
    }
}

fn person_names(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().take(20).for_each(|x| person_names(x, out)),
        Value::Object(o) => {
            let is_org = o.get("@type").and_then(Value::as_str).is_some_and(|t| {
                t.eq_ignore_ascii_case("organization")
                    || t.eq_ignore_ascii_case("newsmediaorganization")
            });
            if !is_org {
                if let Some(n) = o.get("name") {
                    if let Some(s) = n.as_str() {
                        out.push(s.to_string());
                    }
                }
            }
        }
        _ => {}
    }
}

/// Reads one JSON-LD object into `ld` when it outranks what is there.
fn ld_object(o: &Value, ld: &mut Ld) {
    let rank = type_rank(o);
    let has = |k: &str| o.get(k).is_some();
    if !(has("headline") || has("datePublished") || has("author") || has("name")) {
        return;
    }
    let better =
        rank > ld.rank || (rank == ld.rank && ld.published.is_empty() && has("datePublished"));
    if rank == 0 && ld.rank == 0 && ld.publisher.is_none() {
        // an Organization / WebSite object: only the site name
        let t = o.get("@type").and_then(Value::as_str).unwrap_or("");
        if t.eq_ignore_ascii_case("website")
            || t.eq_ignore_ascii_case("newsmediaorganization")
            || t.eq_ignore_ascii_case("organization")
        {
            ld.publisher = o.get("name").and_then(str_of);
        }
    }
    if !better || rank == 0 {
        return;
    }
    let keep_publisher = ld.publisher.take();
    *ld = Ld {
        rank,
        ..Ld::default()
    };
    ld.headline = o.get("headline").or_else(|| o.get("name")).and_then(str_of);
    if let Some(d) = o.get("datePublished").or_else(|| o.get("dateCreated")) {
        ld.published.extend(str_of(d));
    }
    if let Some(d) = o.get("dateModified") {
        ld.modified.extend(str_of(d));
    }
    if let Some(a) = o.get("author").or_else(|| o.get("creator")) {
        person_names(a, &mut ld.authors);
    }
    ld.publisher = o
        .get("publisher")
        .and_then(|p| {
            p.get("name")
                .and_then(str_of)
                .or_else(|| p.as_str().map(str::to_string))
        })
        .or(keep_publisher);
    ld.url = o
        .get("url")
        .and_then(Value::as_str)
        .or_else(|| {
            o.get("mainEntityOfPage")
                .and_then(|m| m.as_str().or_else(|| m.get("@id").and_then(Value::as_str)))
        })
        .map(str::to_string);
    ld.language = o.get("inLanguage").and_then(str_of);
    ld.description = o.get("description").and_then(str_of);
    ld.article_body = o
        .get("articleBody")
        .and_then(Value::as_str)
        .map(str::to_string);
}

/// Walks a parsed JSON-LD value (top-level arrays, `@graph`), without recursion.
fn ld_walk(v: &Value, ld: &mut Ld) {
    let mut stack: Vec<&Value> = vec![v];
    let mut seen = 0;
    while let Some(v) = stack.pop() {
        seen += 1;
        if seen > 2000 {
            break;
        }
        match v {
            Value::Array(a) => stack.extend(a.iter().rev()),
            Value::Object(o) => {
                ld_object(v, ld);
                if let Some(g) = o.get("@graph") {
                    stack.push(g);
                }
                if let Some(m) = o.get("mainEntity") {
                    if m.is_object() {
                        stack.push(m);
                    }
                }
            }
            _ => {}
        }
    }
}

fn parse_ld(raw: &str, ld: &mut Ld) {
    let s = raw.trim();
    let s = s.strip_prefix("<!--").unwrap_or(s);
    let s = s.strip_suffix("-->").unwrap_or(s);
    let s = s
        .trim()
        .trim_start_matches("//<![CDATA[")
        .trim_end_matches("//]]>")
        .trim();
    match serde_json::from_str::<Value>(s) {
        Ok(v) => ld_walk(&v, ld),
        Err(_) => {
            // control characters inside strings are a common fault
            if s.bytes()
                .any(|b| b < 0x20 && b != b'\n' && b != b'\r' && b != b'\t')
                || s.contains('\n')
            {
                let fixed: String = s
                    .chars()
                    .map(|c| if c.is_control() { ' ' } else { c })
                    .collect();
                if let Ok(v) = serde_json::from_str::<Value>(&fixed) {
                    ld_walk(&v, ld);
                }
            }
        }
    }
}

pub(crate) fn clean_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    crate::dom::push_collapsed(&mut out, s);
    out.trim().to_string()
}

/// A date string checked against the crawl date.
fn checked(s: &str, crawl: Option<Ymd>) -> Option<Ymd> {
    let d = parse_date(s)?;
    match crawl {
        Some(c) if d > c => None,
        _ => Some(d),
    }
}

fn language_code(s: &str) -> Option<String> {
    let s = s.trim();
    let primary = s.split(['-', '_']).next()?.to_ascii_lowercase();
    (primary.len() == 2 && primary.bytes().all(|b| b.is_ascii_lowercase())).then_some(primary)
}

/// Splits and cleans a byline into person names.
pub(crate) fn author_names(raw: &str, out: &mut Vec<String>) {
    let s = clean_ws(raw);
    if s.is_empty() || s.len() > 300 || s.starts_with("http") || s.contains("://") {
        return;
    }
    let mut s = s.as_str();
    for prefix in [
        "by ",
        "von ",
        "par ",
        "por ",
        "di ",
        "door ",
        "text: ",
        "written by ",
        "author: ",
        "autor: ",
    ] {
        if s.len() > prefix.len()
            && s.get(..prefix.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(prefix))
        {
            s = s.get(prefix.len()..).unwrap_or(s);
        }
    }
    let normalised = s
        .replace(" and ", ",")
        .replace(" And ", ",")
        .replace(" und ", ",")
        .replace(" et ", ",")
        .replace(" y ", ",")
        .replace(" & ", ",")
        .replace(['|', ';', '/', '•'], ",");
    for part in normalised.split(',') {
        let mut name = part
            .trim()
            .trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '\'');
        // drop a trailing role or outlet: "Jane Doe, Reuters" splits already; "Jane Doe - Reporter"
        if let Some(p) = name.find(" - ").or_else(|| name.find(" – ")) {
            name = name[..p].trim();
        }
        for pre in ["by ", "By ", "BY "] {
            if let Some(r) = name.strip_prefix(pre) {
                name = r;
            }
        }
        let words = name.split_whitespace().count();
        if !(1..=5).contains(&words)
            || name.len() > 60
            || name.contains(['@', '(', ')'])
            || name.contains("://")
            || name.contains("www.")
        {
            continue;
        }
        if !name.chars().next().is_some_and(char::is_uppercase) {
            continue;
        }
        if name.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        if words == 1 && out.iter().any(|n: &String| n.contains(name)) {
            continue;
        }
        let lower = name.to_lowercase();
        if [
            "staff",
            "admin",
            "redaktion",
            "editor",
            "editors",
            "reuters",
            "afp",
            "ap",
            "dpa",
        ]
        .contains(&lower.as_str())
        {
            continue;
        }
        if !out.iter().any(|n| n.to_lowercase() == lower) {
            out.push(name.to_string());
        }
        if out.len() >= 10 {
            break;
        }
    }
}

/// Resolves a possibly relative URL against the page's URL.
fn resolve(href: &str, base: Option<&str>) -> Option<String> {
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') {
        return None;
    }
    if href.starts_with("http://") || href.starts_with("https://") {
        return Some(href.to_string());
    }
    let base = base?;
    let scheme_end = base.find("://")? + 3;
    if let Some(rest) = href.strip_prefix("//") {
        return Some(format!("{}{}", &base[..scheme_end], rest));
    }
    let host_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |p| scheme_end + p);
    if href.starts_with('/') {
        Some(format!("{}{}", &base[..host_end], href))
    } else {
        None
    }
}

/// Removes " | Site" style parts that name the site (or are a date) from
/// the end or the start of a title.
fn strip_site(title: &str, site: Option<&str>) -> String {
    const SEPS: [&str; 7] = [" | ", " - ", " – ", " — ", " :: ", " · ", " » "];
    let norm = |s: &str| {
        s.to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
    };
    let ns = site.map(norm).unwrap_or_default();
    let names_site = |part: &str| {
        let np = norm(part);
        !np.is_empty()
            && !ns.is_empty()
            && (np == ns || ns.contains(&np) || (np.contains(&ns) && np.len() < ns.len() + 8))
    };
    let is_date = |part: &str| part.len() <= 30 && parse_date(part).is_some();
    let mut t = title.trim();
    for _ in 0..4 {
        let before = t;
        for sep in SEPS {
            if let Some(p) = t.rfind(sep) {
                let (head, tail) = (&t[..p], &t[p + sep.len()..]);
                if !head.trim().is_empty() && (names_site(tail) || is_date(tail)) {
                    t = head.trim();
                    break;
                }
            }
            if let Some(p) = t.find(sep) {
                let (head, tail) = (&t[..p], &t[p + sep.len()..]);
                if !tail.trim().is_empty() && names_site(head) {
                    t = tail.trim();
                    break;
                }
            }
        }
        if t == before {
            break;
        }
    }
    t.to_string()
}

/// Labels that introduce the publication date in a list of facts ("Date
/// 19.01.2020", "Veröffentlicht am: …"), lower case, without a colon.
const DATE_LABELS: &[&str] = &[
    "date",
    "published",
    "publication date",
    "posted",
    "posted on",
    "datum",
    "veröffentlicht",
    "veröffentlicht am",
    "erschienen",
    "erschienen am",
    "publié",
    "publié le",
    "date de publication",
    "fecha",
    "fecha de publicación",
    "publicado",
    "data",
    "pubblicato",
];

/// Labels that introduce the author in a list of facts.
const AUTHOR_LABELS: &[&str] = &[
    "author", "authors", "autor", "autorin", "autoren", "auteur", "auteurs", "autore", "autores",
];

/// Nodes a look at a labelled fact visits at most (linear time on any page).
const LABEL_NODES: u32 = 64;

/// A labelled fact: an element that starts with a label element
/// (`<strong>Date</strong> 19.01.2020`, `<dt>Author</dt><dd>…</dd>`): the
/// label (lower case, no colon) and the text after it.
fn labelled(dom: &Dom, id: NodeId, t: u16) -> Option<(String, String)> {
    let clean = |s: String| s.trim().trim_end_matches(':').trim().to_lowercase();
    if t == tag::DT {
        let label = clean(dom.text_prefix(id, 40, LABEL_NODES));
        let mut next = dom.nodes[id as usize].next;
        while next != crate::dom::NONE && dom.tag(next).is_none() {
            next = dom.nodes[next as usize].next;
        }
        if next == crate::dom::NONE || dom.tag(next) != Some(tag::DD) {
            return None;
        }
        return Some((label, dom.text_prefix(next, 160, LABEL_NODES)));
    }
    // the first child that is not white space must be the label element
    let mut first = dom.nodes[id as usize].first_child;
    while first != crate::dom::NONE
        && dom.tag(first).is_none()
        && dom.text_of(first).trim().is_empty()
    {
        first = dom.nodes[first as usize].next;
    }
    if first == crate::dom::NONE
        || !matches!(
            dom.tag(first),
            Some(tag::STRONG | tag::B | tag::SPAN | tag::TH | tag::LABEL | tag::EM | tag::DT)
        )
    {
        return None;
    }
    let label_text = dom.text_prefix(first, 40, LABEL_NODES);
    if label_text.len() >= 40 {
        return None;
    }
    let label = clean(label_text.clone());
    if !DATE_LABELS.contains(&label.as_str()) && !AUTHOR_LABELS.contains(&label.as_str()) {
        return None;
    }
    let all = dom.text_prefix(id, 200, LABEL_NODES);
    let value = all.strip_prefix(label_text.as_str()).unwrap_or(&all);
    Some((
        label,
        value.trim().trim_start_matches(':').trim().to_string(),
    ))
}

/// The host of a URL, lower case, letters and digits only ("wwwreuterscom").
fn host_letters(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#', ':']).next().unwrap_or("");
    host.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Whether a name names the host: the whole name, or a word of it of four
/// letters or more, is part of the host ("Reuters" in reuters.com).
fn names_host(name: &str, host: &str) -> bool {
    if host.is_empty() {
        return true;
    }
    let squashed: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (!squashed.is_empty() && host.contains(&squashed))
        || name
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| w.len() >= 4)
            .any(|w| host.contains(&w.to_ascii_lowercase()))
}

/// Reads the metadata of a parsed page.
#[allow(clippy::field_reassign_with_default)]
pub fn read(dom: &Dom, hints: &Hints, crawl: Option<Ymd>) -> Meta {
    let mut ld = Ld::default();
    let mut metas: Vec<(String, String)> = Vec::new(); // (lower-case key, content)
    let mut canonical: Option<String> = None;
    let mut html_lang: Option<String> = None;
    let mut title_tag: Option<String> = None;
    let mut h1: Option<String> = None;
    let mut times: Vec<(NodeId, String)> = Vec::new();
    let mut bylines: Vec<String> = Vec::new();
    let mut rel_authors: Vec<String> = Vec::new();
    let mut itemprop_dates: Vec<(bool, String)> = Vec::new();
    // "Date 19.01.2020", "Author: Ben Knight": a list of facts about the article
    let mut labelled_dates: Vec<String> = Vec::new();
    let mut labelled_authors: Vec<String> = Vec::new();
    let mut body_seen = false;
    for id in 0..dom.nodes.len() as NodeId {
        let Some(t) = dom.tag(id) else { continue };
        match t {
            tag::BODY => body_seen = true,
            tag::HTML => {
                html_lang = dom
                    .attr(id, "lang")
                    .or_else(|| dom.attr(id, "xml:lang"))
                    .map(str::to_string)
            }
            tag::META => {
                let key = dom
                    .attr(id, "property")
                    .or_else(|| dom.attr(id, "name"))
                    .or_else(|| dom.attr(id, "itemprop"))
                    .or_else(|| dom.attr(id, "http-equiv"));
                if let (Some(k), Some(c)) = (key, dom.attr(id, "content")) {
                    if metas.len() < 500 {
                        metas.push((k.trim().to_ascii_lowercase(), c.to_string()));
                    }
                }
            }
            tag::LINK
                if canonical.is_none()
                    && dom.attr(id, "rel").is_some_and(|r| {
                        r.split_whitespace()
                            .any(|x| x.eq_ignore_ascii_case("canonical"))
                    }) =>
            {
                canonical = dom.attr(id, "href").map(str::to_string);
            }
            tag::SCRIPT
                if dom
                    .attr(id, "type")
                    .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/ld+json")) =>
            {
                if let Some(c) = dom.nodes[id as usize].first_child.checked_sub(0) {
                    if c != crate::dom::NONE {
                        parse_ld(dom.text_of(c), &mut ld);
                    }
                }
            }
            tag::TITLE if title_tag.is_none() && !body_seen => {
                let s = dom.text_content(id, 500);
                if !s.is_empty() {
                    title_tag = Some(s);
                }
            }
            tag::H1 if h1.is_none() => {
                let s = dom.text_content(id, 500);
                if !s.is_empty() {
                    h1 = Some(s);
                }
            }
            tag::TIME if times.len() < 20 => {
                if let Some(d) = dom.attr(id, "datetime") {
                    times.push((id, d.to_string()));
                }
            }
            _ => {}
        }
        if let Some(ip) = dom.attr(id, "itemprop") {
            let ip = ip.trim();
            if ip == "datePublished" || ip == "dateModified" {
                let v = dom
                    .attr(id, "content")
                    .or_else(|| dom.attr(id, "datetime"))
                    .map(str::to_string)
                    .unwrap_or_else(|| dom.text_content(id, 100));
                if itemprop_dates.len() < 10 {
                    itemprop_dates.push((ip == "datePublished", v));
                }
            }
            if ip == "author" && t != tag::META && bylines.len() < 5 {
                bylines.push(dom.text_content(id, 200));
            }
        }
        if matches!(
            t,
            tag::LI | tag::DD | tag::DT | tag::P | tag::DIV | tag::TD | tag::TR
        ) && labelled_dates.len() + labelled_authors.len() < 10
        {
            if let Some((label, value)) = labelled(dom, id, t) {
                if DATE_LABELS.contains(&label.as_str()) {
                    labelled_dates.push(value);
                } else if AUTHOR_LABELS.contains(&label.as_str()) {
                    labelled_authors.push(value);
                }
            }
        }
        if t == tag::A
            && rel_authors.len() < 5
            && dom
                .attr(id, "rel")
                .is_some_and(|r| r.eq_ignore_ascii_case("author"))
        {
            rel_authors.push(dom.text_content(id, 100));
        }
        if bylines.len() < 5 && t != tag::META && t != tag::BODY && t != tag::HTML {
            if let Some(c) = dom.attr(id, "class") {
                let c = c.to_ascii_lowercase();
                if c.split(|ch: char| !ch.is_ascii_alphanumeric() && ch != '-' && ch != '_')
                    .any(|w| {
                        matches!(
                            w,
                            "byline"
                                | "author"
                                | "author-name"
                                | "byline__name"
                                | "byline-name"
                                | "article-author"
                                | "post-author"
                                | "authorname"
                                | "author_name"
                                | "byline__author"
                        )
                    })
                {
                    let s = dom.text_content(id, 200);
                    if !s.is_empty() && s.len() < 150 {
                        bylines.push(s);
                    }
                }
            }
        }
    }
    let meta = |keys: &[&str]| -> Option<&str> {
        keys.iter().find_map(|k| {
            metas
                .iter()
                .find(|(mk, c)| mk == k && !c.trim().is_empty())
                .map(|(_, c)| c.as_str())
        })
    };
    let mut m = Meta::default();
    let url = canonical
        .as_deref()
        .and_then(|c| resolve(c, hints.url))
        .or_else(|| meta(&["og:url"]).and_then(|u| resolve(u, hints.url)))
        .or_else(|| ld.url.as_deref().and_then(|u| resolve(u, hints.url)))
        .or_else(|| hints.url.map(str::to_string));
    // site name: og:site_name, unless it is not the site's name (an edition
    // such as "U.S.") while the JSON-LD publisher names the host
    let host = url.as_deref().map(host_letters).unwrap_or_default();
    let og_site = meta(&["og:site_name"]).map(clean_ws);
    let og_site = match (&og_site, &ld.publisher) {
        (Some(o), Some(p)) if !names_host(o, &host) && names_host(p, &host) => Some(p.clone()),
        _ => og_site,
    };
    m.site_name = og_site
        .or_else(|| ld.publisher.clone())
        .or_else(|| meta(&["application-name", "twitter:app:name:iphone"]).map(clean_ws));
    // title
    let raw_title = ld
        .headline
        .clone()
        .filter(|_| ld.rank == 2)
        .or_else(|| meta(&["og:title", "twitter:title", "dc.title", "headline"]).map(clean_ws))
        .or_else(|| h1.clone())
        .or_else(|| title_tag.clone());
    // a title cut short ("… Hong Kong leader...") gives way to a longer one that it begins
    let raw_title = raw_title.map(|t| {
        let cut = t.trim_end_matches(['.', '…', ' ']);
        if cut.len() < t.len() && cut.len() >= 20 {
            if let Some(longer) = [h1.as_deref(), title_tag.as_deref()]
                .into_iter()
                .flatten()
                .find(|x| x.starts_with(cut) && x.len() > cut.len())
            {
                return longer.to_string();
            }
        }
        t
    });
    m.title = raw_title
        .map(|t| strip_site(&t, m.site_name.as_deref()))
        .filter(|t| !t.is_empty());
    // dates
    let published_meta = [
        "article:published_time",
        "og:published_time",
        "article:published",
        "datepublished",
        "pubdate",
        "publishdate",
        "publish-date",
        "published_time",
        "parsely-pub-date",
        "sailthru.date",
        "article.published",
        "dc.date.issued",
        "dcterms.issued",
        "dc.date.created",
        "dcterms.created",
        "dc.date",
        "dcterms.date",
        "date",
        "citation_publication_date",
        "og:article:published_time",
        "article_date_original",
        "cxenseparse:recs:publishtime",
    ];
    let mut date = ld.published.iter().find_map(|s| checked(s, crawl));
    if date.is_none() {
        for k in published_meta {
            if let Some(d) = metas
                .iter()
                .filter(|(mk, _)| mk == k)
                .find_map(|(_, c)| checked(c, crawl))
            {
                date = Some(d);
                break;
            }
        }
    }
    if date.is_none() {
        date = itemprop_dates
            .iter()
            .filter(|(p, _)| *p)
            .find_map(|(_, v)| checked(v, crawl));
    }
    if date.is_none() {
        // a <time> marked as the publication time, else the first one
        let marked = times.iter().find(|(id, _)| {
            dom.attr(*id, "pubdate").is_some()
                || dom
                    .attr(*id, "class")
                    .is_some_and(|c| c.contains("publish") || c.contains("date"))
        });
        date = marked
            .into_iter()
            .chain(times.iter())
            .find_map(|(_, d)| checked(d, crawl));
    }
    if date.is_none() {
        date = url
            .as_deref()
            .and_then(url_date)
            .or_else(|| hints.url.and_then(url_date))
            .filter(|d| crawl.is_none_or(|c| *d <= c));
    }
    if date.is_none() {
        date = labelled_dates
            .iter()
            .chain(bylines.iter())
            .find_map(|b| checked(b, crawl));
    }
    m.date = date.map(Ymd::iso);
    let modified = ld
        .modified
        .iter()
        .find_map(|s| parse_date(s))
        .or_else(|| {
            meta(&[
                "article:modified_time",
                "og:updated_time",
                "article:modified",
                "datemodified",
                "last-modified",
                "dcterms.modified",
                "dc.date.modified",
            ])
            .and_then(parse_date)
        })
        .or_else(|| {
            itemprop_dates
                .iter()
                .filter(|(p, _)| !*p)
                .find_map(|(_, v)| parse_date(v))
        });
    m.modified = modified.map(Ymd::iso);
    // authors
    let mut authors = Vec::new();
    for a in &ld.authors {
        author_names(a, &mut authors);
    }
    if authors.is_empty() {
        for k in [
            "author",
            "article:author",
            "parsely-author",
            "sailthru.author",
            "dc.creator",
            "dcterms.creator",
            "byl",
            "citation_author",
        ] {
            for (_, c) in metas.iter().filter(|(mk, _)| mk == k) {
                author_names(c, &mut authors);
            }
            if !authors.is_empty() {
                break;
            }
        }
    }
    if authors.is_empty() {
        for b in rel_authors
            .iter()
            .chain(bylines.iter())
            .chain(labelled_authors.iter())
        {
            author_names(b, &mut authors);
            if !authors.is_empty() {
                break;
            }
        }
    }
    m.authors = authors;
    m.url = url;
    m.language = html_lang
        .as_deref()
        .and_then(language_code)
        .or_else(|| meta(&["content-language", "language", "dc.language"]).and_then(language_code))
        .or_else(|| meta(&["og:locale"]).and_then(language_code))
        .or_else(|| ld.language.as_deref().and_then(language_code));
    m.article_body = ld.article_body.take();
    m.description = meta(&[
        "og:description",
        "description",
        "twitter:description",
        "dc.description",
    ])
    .map(clean_ws)
    .or_else(|| ld.description.clone())
    .filter(|d| !d.is_empty());
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_name_that_names_the_host() {
        let host = host_letters("https://www.reuters.com/article/x");
        assert_eq!(host, "wwwreuterscom");
        assert!(names_host("Reuters", &host));
        assert!(!names_host("U.S.", &host));
        assert!(names_host(
            "Mail Online",
            &host_letters("https://www.dailymail.co.uk/")
        ));
        assert!(names_host(
            "Tages-Anzeiger",
            &host_letters("https://www.tagesanzeiger.ch/a")
        ));
        assert!(names_host("anything", ""));
    }

    #[test]
    fn labelled_facts() {
        let dom = crate::dom::parse(
            "<html><body><ul><li><strong>Date</strong> 19.01.2020</li><li><strong>Author</strong> Ben Knight</li></ul>\
             <dl><dt>Autor:</dt><dd>Jane Roe</dd></dl><p><b>Dateline</b> 01.01.2001</p></body></html>",
        );
        let m = read(&dom, &Hints::default(), None);
        assert_eq!(m.date.as_deref(), Some("2020-01-19"));
        assert_eq!(m.authors, ["Ben Knight"]);
        let dom = crate::dom::parse(
            "<html><body><dl><dt>Autor:</dt><dd>Jane Roe</dd></dl><p><b>Dateline</b> 01.01.2001</p></body></html>",
        );
        let m = read(&dom, &Hints::default(), None);
        assert_eq!(m.authors, ["Jane Roe"]);
        assert_eq!(m.date, None, "only a date label introduces a date");
    }

    #[test]
    fn bylines_split() {
        let mut v = Vec::new();
        author_names("By Jane Doe and John Roe", &mut v);
        assert_eq!(v, ["Jane Doe", "John Roe"]);
        let mut v = Vec::new();
        author_names("https://www.facebook.com/jane", &mut v);
        assert!(v.is_empty());
    }

    #[test]
    fn site_suffix() {
        assert_eq!(
            strip_site("Rain all day | The Daily", Some("The Daily")),
            "Rain all day"
        );
        assert_eq!(
            strip_site("Rain - all day", Some("The Daily")),
            "Rain - all day"
        );
        assert_eq!(strip_site("BBC News - Rain", Some("BBC News")), "Rain");
        assert_eq!(
            strip_site(
                "Berlin confronts its past | DW | 19.01.2020",
                Some("DW.COM")
            ),
            "Berlin confronts its past"
        );
    }
}
