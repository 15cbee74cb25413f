//! The main text: boilerplate marked by tag, role and class/id words, the
//! article container chosen by a text score, then its blocks written out
//! as paragraphs with link-heavy and duplicate blocks left out.
//!
//! All passes are loops over the node array (parents come before their
//! children, so a forward loop is top-down and a backward loop bottom-up).

use crate::dom::{push_collapsed, tag, Dom, Kind, NodeId, NONE};

/// The body element, or the root when the page has text outside `<head>` but no `<body>` tag.
pub fn body_of(dom: &Dom) -> Option<NodeId> {
    if let Some(b) = dom.find_first(tag::BODY) {
        return Some(b);
    }
    // no <body>: is there anything outside <head>?
    let head = dom.find_first(tag::HEAD);
    let head_range = head.map(|h| h..dom.subtree_end(h));
    let has_content = (0..dom.nodes.len() as NodeId).any(|i| {
        if head_range.as_ref().is_some_and(|r| r.contains(&i)) {
            return false;
        }
        match dom.nodes[i as usize].kind {
            Kind::Text { .. } => {
                let p = dom.nodes[i as usize].parent;
                !matches!(
                    dom.tag(p),
                    Some(tag::TITLE | tag::SCRIPT | tag::STYLE | tag::NOSCRIPT)
                ) && !dom.text_of(i).trim().is_empty()
            }
            Kind::Element { .. } => false,
        }
    });
    has_content.then_some(0)
}

/// Why a node is left out.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Junk {
    No,
    /// Never text (script, style, forms, media).
    Tag,
    /// An embedded post (tweet, Instagram, iframe): left out, and the
    /// paragraphs around it may join.
    Embed,
    /// Boilerplate by its role or class/id words.
    Class,
    /// An embedded post that carries its text (a tweet or an Instagram post
    /// as a `<blockquote>`): written as a quotation of its own, after the
    /// paragraphs around it when they join, and never scored as prose.
    Post,
}

fn is_block(t: u16) -> bool {
    use tag::*;
    !matches!(
        t,
        A | SPAN
            | B
            | I
            | EM
            | STRONG
            | U
            | S
            | SMALL
            | SUB
            | SUP
            | FONT
            | ABBR
            | CITE
            | MARK
            | DEL
            | INS
            | CODE
            | Q
            | TIME
            | KBD
            | SAMP
            | VAR
            | BIG
            | TT
            | NOBR
            | DFN
            | BDI
            | BDO
            | LABEL
            | DATA
            | BR
            | WBR
            | IMG
            | PICTURE
            | RUBY
            | RT
            | RP
            | OUTPUT
    ) && t < FIRST_OTHER
}

fn tag_junk(t: u16) -> bool {
    use tag::*;
    matches!(
        t,
        HEAD | SCRIPT
            | STYLE
            | NOSCRIPT
            | TEMPLATE
            | SVG
            | MATH
            | CANVAS
            | OBJECT
            | EMBED
            | VIDEO
            | AUDIO
            | SOURCE
            | TRACK
            | INPUT
            | BUTTON
            | SELECT
            | OPTION
            | TEXTAREA
            | LABEL
            | DIALOG
            | NAV
            | ASIDE
            | FOOTER
            | HEADER
            | FIGCAPTION
            | MENU
            | TITLE
            | RT
            | RP
            | META
            | LINK
            | MAP
            | FRAMESET
            | FRAME
            | IFRAME
            | NOFRAMES
            | NOEMBED
            | XMP
            | PLAINTEXT
    )
}

/// Words of class/id values that mark boilerplate (matched as whole words:
/// the value is split at anything that is not a letter or a digit).
const JUNK_WORDS: &[&str] = &[
    "shares",
    "sharebar",
    "social",
    "socials",
    "popup",
    "modal",
    "sidebar",
    "nav",
    "navbar",
    "navigation",
    "menu",
    "footer",
    "addthis",
    "sharedaddy",
    "byline",
    "author",
    "authors",
    "sociallinks",
    "follow",
    "tags",
    "rail",
    "popular",
    "masthead",
    "aside",
    "feedback",
    "signature",
    "toolbar",
    "skip",
    "banner",
    "overlay",
];

/// Boilerplate words that no other word of the same value can redeem.
const FIRM_WORDS: &[&str] = &[
    "comment",
    "comments",
    "commentlist",
    "disqus",
    "respond",
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "newsletter",
    "related",
    "relatedposts",
    "recommended",
    "recommendations",
    "outbrain",
    "taboola",
    "paywall",
    "signup",
    "subscribe",
    "subscription",
    "advert",
    "adverts",
    "advertisement",
    "advertising",
    "adsense",
    "ad",
    "ads",
    "sponsored",
    "sponsor",
    "breadcrumb",
    "breadcrumbs",
    "pagination",
    "pager",
    "promo",
    "tagcloud",
    "taglist",
    "trending",
    "mostread",
    "mostpopular",
    "pullquote",
    "login",
    "signin",
    "donate",
    "captcha",
];

/// Words of class/id values that mark an article's header: boilerplate
/// unless it holds a prose block (the lead).
const LEAD_WORDS: &[&str] = &["header", "teaser"];

/// Words of class/id values that mark boilerplate only when the block holds
/// little prose (a "meta" line, a "caption"), not around a whole article.
const WEAK_WORDS: &[&str] = &[
    "widget",
    "widgets",
    "print",
    "share",
    "sharing",
    "dateline",
    "caption",
    "credit",
    "credits",
    "copyright",
    "hidden",
    "meta",
    "rating",
    "breaking",
    "teaser",
    "teasers",
    "tools",
    "jp",
    "wpcnt",
    "more",
    "readmore",
    "timestamp",
    "date",
    "published",
    "postmeta",
    "postmetadata",
    "entrymeta",
    "infobox",
    "disclaimer",
    "notice",
    "alert",
    "carousel",
    "slider",
    "gallery",
    "thumbnail",
    "thumbnails",
    "topics",
    "categories",
    "category",
    "links",
    "promotion",
];

/// Class/id substrings that mark boilerplate wherever they occur.
const JUNK_PARTS: &[&str] = &[
    "sr-only",
    "screen-reader",
    "visually-hidden",
    "visuallyhidden",
    "pull-quote",
    "social-",
    "share-",
    "-share",
    "related",
    "comment-",
    "newsletter",
    "cookie",
    "twitter-tweet",
    "instagram-media",
    "tiktok-embed",
    "fb-post",
];

/// Prefixes of class names that label what a post is about, not what a block is.
const TAXONOMY: &[&str] = &[
    "elementor-",
    "category-",
    "tag-",
    "tags-",
    "status-",
    "format-",
    "type-",
    "postid-",
    "page-id",
    "topic-",
    "section-",
];

/// Prefixes of class names that state a condition, not a kind of block.
const STATES: &[&str] = &["has-", "with-", "no-", "is-", "js-", "without-"];

/// Words that mark the article's container.
const GOOD_WORDS: &[&str] = &[
    "article",
    "articlebody",
    "content",
    "body",
    "entry",
    "post",
    "story",
    "text",
    "main",
    "blog",
    "prose",
    "richtext",
    "paragraph",
];

fn class_words(v: &str) -> impl Iterator<Item = &str> {
    v.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
}

fn is_embed(dom: &Dom, id: NodeId, t: u16, cls: &str) -> bool {
    t == tag::IFRAME
        || t == tag::EMBED
        || t == tag::OBJECT
        || cls.contains("twitter-tweet")
        || cls.contains("instagram-media")
        || cls.contains("tiktok-embed")
        || cls.contains("fb-post")
        || cls.contains("embed")
        || dom.attr(id, "data-embed").is_some()
}

/// The verdict on one element (given that its parent is not junk), whether
/// its class/id marks an article container, and how much prose (characters)
/// takes back a class verdict (infinite: only the page-share rule can).
fn verdict(dom: &Dom, id: NodeId, t: u16, is_body: bool, buf: &mut String) -> (Junk, bool, f32) {
    let (j, good, limit, _) = verdict_firm(dom, id, t, is_body, buf);
    (j, good, limit)
}

/// [`verdict`], and whether a firm word (comments, related, ads) made it.
fn verdict_firm(
    dom: &Dom,
    id: NodeId,
    t: u16,
    is_body: bool,
    buf: &mut String,
) -> (Junk, bool, f32, bool) {
    if is_body {
        return (Junk::No, false, f32::INFINITY, false);
    }
    let (cj, good, embed) = class_verdict(dom, id, t, buf);
    let good = good
        || t == tag::ARTICLE
        || dom
            .attr(id, "itemprop")
            .is_some_and(|v| v.contains("articleBody"));
    let mut limit = match cj {
        1 => WEAK_LIMIT,
        2 => HEADER_LIMIT,
        _ => f32::INFINITY,
    };
    let j = if embed && t == tag::BLOCKQUOTE {
        Junk::Post
    } else if embed {
        Junk::Embed
    } else if t == tag::HEADER {
        // an article's header holds its lead paragraph; a page's header has no prose
        limit = limit.min(HEADER_LIMIT);
        Junk::Class
    } else if tag_junk(t) {
        Junk::Tag
    } else if cj > 0 && !matches!(t, tag::BODY | tag::HTML | tag::ARTICLE | tag::MAIN) {
        Junk::Class
    } else {
        Junk::No
    };
    (j, good, limit, cj == 4)
}

/// Per-node class/id verdict: (junk word seen: 0 none, 1 weak, 2 lead, 3
/// strong, 4 firm; good word seen, embed).
fn class_verdict(dom: &Dom, id: NodeId, t: u16, buf: &mut String) -> (u8, bool, bool) {
    buf.clear();
    if let Some(c) = dom.attr(id, "class") {
        buf.push_str(c);
    }
    if let Some(c) = dom.attr(id, "id") {
        buf.push(' ');
        buf.push_str(c);
    }
    if buf.is_empty() {
        let role = dom.attr(id, "role");
        let junk = role.is_some_and(|r| {
            matches!(
                r.trim().to_ascii_lowercase().as_str(),
                "navigation"
                    | "banner"
                    | "contentinfo"
                    | "complementary"
                    | "menu"
                    | "menubar"
                    | "dialog"
                    | "alert"
                    | "search"
            )
        });
        return (
            if junk || hidden(dom, id) { 3 } else { 0 },
            false,
            t == tag::IFRAME,
        );
    }
    buf.make_ascii_lowercase();
    let embed = is_embed(dom, id, t, buf);
    let mut junk = 0u8;
    let mut firm = false;
    let mut good = false;
    for name in buf.split_ascii_whitespace() {
        // taxonomy labels (WordPress and the like): "category-news", "tag-x";
        // states: "has-sidebar", "with-navigation", "no-ads"
        if TAXONOMY.iter().any(|p| name.starts_with(p))
            || STATES.iter().any(|p| name.starts_with(p))
            || name
                .strip_prefix("post-")
                .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
        {
            continue;
        }
        // a BEM modifier ("section--has-ads", "field--label-hidden") says nothing of the block
        let name = name.split("--").next().unwrap_or(name);
        if JUNK_PARTS.iter().any(|p| name.contains(p)) {
            junk = 3;
            firm = true;
        }
        for w in class_words(name) {
            if FIRM_WORDS.contains(&w) {
                junk = 3;
                firm = true;
            } else if JUNK_WORDS.contains(&w) || w.starts_with("author") {
                // "authorinfo", "authorbox", "author_bio"
                junk = 3;
            } else if LEAD_WORDS.contains(&w) {
                junk = junk.max(2);
            } else if WEAK_WORDS.contains(&w) {
                junk = junk.max(1);
            }
            if GOOD_WORDS.contains(&w) {
                good = true;
            }
        }
    }
    if let Some(r) = dom.attr(id, "role") {
        if matches!(
            r.trim().to_ascii_lowercase().as_str(),
            "navigation"
                | "banner"
                | "contentinfo"
                | "complementary"
                | "menu"
                | "menubar"
                | "dialog"
                | "alert"
                | "search"
        ) {
            junk = 3;
        }
    }
    if junk == 3 && good && !firm {
        // "content right-sidebar", "entry share": mixed signals, weak
        junk = 1;
    }
    if hidden(dom, id) {
        junk = 3;
    }
    if firm {
        junk = 4;
    }
    (junk, good, embed)
}

fn hidden(dom: &Dom, id: NodeId) -> bool {
    dom.attr(id, "hidden").is_some()
        || dom
            .attr(id, "aria-hidden")
            .is_some_and(|v| v.trim() == "true")
        || dom.attr(id, "style").is_some_and(|s| {
            let s: String = s
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase();
            s.contains("display:none") || s.contains("visibility:hidden")
        })
}

/// Prose (characters) above which a weak boilerplate word no longer counts.
const WEAK_LIMIT: f32 = 300.0;

/// Prose (characters) that makes a `<header>` part of the article (its lead).
const HEADER_LIMIT: f32 = 80.0;

/// A container marked as boilerplate that holds more than this share of
/// the page's prose wraps the page: kept whatever its links.
const WRAPPER_SHARE: f32 = 0.8;

/// A teaser line after a "Read more" label is shorter than this (characters).
const TEASER_LEN: u32 = 200;

/// A credit line is shorter than this (characters).
const CREDIT_LEN: u32 = 100;

/// A line shorter than this (characters) right before a dropped list of
/// links is its label.
const LABEL_LEN: u32 = 50;

/// A text shorter than this (characters) is checked against the text read
/// without class words, which replaces it when `FALLBACK_GAIN` times longer.
const FALLBACK_LEN: u32 = 1000;
const FALLBACK_GAIN: f32 = 3.0;

/// Prose (characters) of a sibling of the container that joins it.
const SIBLING_PROSE: f32 = 60.0;

/// How much a character of boilerplate (link text, short lines) costs a
/// container against a character of prose.
const BAD_WEIGHT: f32 = 1.0;
/// The share of a short non-link line's characters counted as boilerplate.
const SHORT_WEIGHT: f32 = 0.5;
/// Extra score for a container marked as the article (`<article>`,
/// `itemprop=articleBody`, "content", "entry", …), as a share of its prose.
const HINT_BONUS: f32 = 0.1;
/// A container marked as boilerplate by a (non-firm) word is kept when it
/// holds more than this share of the page's prose.
const RESCUE_SHARE: f32 = 0.5;

/// Text statistics of a subtree.
#[derive(Clone, Copy, Default, Debug)]
struct Stats {
    /// Characters of text (white space collapsed, roughly).
    text: u32,
    /// Characters inside links.
    link: u32,
    /// Text of blocks that read as prose.
    good: f32,
    /// Text of blocks that read as boilerplate (links, short fragments).
    bad: f32,
}

fn char_len(s: &str) -> u32 {
    // non-white-space characters, plus one per run of white space
    let mut n = 0u32;
    let mut space = true;
    for c in s.chars() {
        if c.is_whitespace() {
            if !space {
                n += 1;
                space = true;
            }
        } else {
            n += 1;
            space = false;
        }
    }
    n
}

fn punct_count(s: &str) -> u32 {
    s.bytes()
        .filter(|&b| matches!(b, b'.' | b',' | b'!' | b'?' | b';' | b':'))
        .count() as u32
        + s.chars()
            .filter(|c| matches!(c, '。' | '、' | '，'))
            .count() as u32
}

/// Word breaks: white space, and the punctuation of scripts written without spaces.
fn gap_count(s: &str) -> u32 {
    s.chars()
        .filter(|&c| c.is_whitespace() || matches!(c, '。' | '、' | '，' | '「' | '」'))
        .count() as u32
}

/// Characters per word break above which a text is not words (a run of
/// class names, a code, a URL).
const MAX_RUN: u32 = 40;

struct Own<'a> {
    text: &'a [u32],
    link: &'a [u32],
    punct: &'a [u32],
    gaps: &'a [u32],
}

/// Sums of the block statistics over every subtree (bottom-up); nodes
/// marked junk count nothing, class junk too unless `with_class`.
fn sums(
    dom: &Dom,
    body: NodeId,
    end: NodeId,
    junk: &[Junk],
    own: &Own,
    with_class: bool,
) -> Vec<Stats> {
    let mut st = vec![Stats::default(); dom.nodes.len()];
    for i in (body..end).rev() {
        let iu = i as usize;
        match junk[iu] {
            Junk::No => {}
            Junk::Class if with_class => {}
            _ => continue,
        }
        let t = own.text[iu];
        if t > 0 {
            let l = own.link[iu];
            let nonlink = t.saturating_sub(l) as f32;
            let prose = (t >= 80 || (t >= 25 && own.punct[iu] >= 1))
                && l * 2 < t
                && own.gaps[iu] * MAX_RUN >= t;
            let s = &mut st[iu];
            s.text += t;
            s.link += l;
            if prose {
                s.good += nonlink;
                s.bad += l as f32;
            } else {
                s.bad += l as f32 + SHORT_WEIGHT * nonlink;
            }
        }
        let me = st[iu];
        let p = dom.nodes[iu].parent;
        if i != body && p != NONE {
            let s = &mut st[p as usize];
            s.text += me.text;
            s.link += me.link;
            s.good += me.good;
            s.bad += me.bad;
        }
    }
    st
}

/// One output block before filtering.
#[derive(Debug)]
struct Para {
    text: String,
    heading: bool,
    quote: bool,
    link: u32,
    len: u32,
    after_embed: bool,
    #[allow(dead_code)]
    list_item: bool,
    /// The block element the text is in ([`NONE`] when none).
    block: NodeId,
    /// Text of an embedded post.
    post: bool,
    /// The innermost list or table the block is in ([`NONE`] when none).
    list: NodeId,
}

/// The article's main text, paragraphs separated by "\n\n".
pub fn main_text(dom: &Dom, body: NodeId, title: Option<&str>) -> String {
    let (junk, roots, _) = analyse(dom, body, true);
    let paras = write_roots(dom, &roots, &junk);
    let text = finish(dom, paras, title, None);
    // a short text: the class words may have misread the page (a live
    // ticker marked "comment", an article inside a "nav" wrapper); without
    // them, a much longer text is the article
    let n = char_len(&text);
    if n < FALLBACK_LEN {
        let (junk, roots, _) = analyse(dom, body, false);
        let paras = write_roots(dom, &roots, &junk);
        let wide = finish(dom, paras, title, None);
        if char_len(&wide) as f32 > FALLBACK_GAIN * n as f32 {
            return wide;
        }
    }
    text
}

/// Why each part of a page was left out (a development aid: see `crate::explain`).
pub fn explain(dom: &Dom, body: NodeId, title: Option<&str>, snippets: &[&str]) -> Vec<String> {
    let (junk, roots, st) = analyse(dom, body, true);
    let best = roots.iter().copied().find(|&r| r != NONE).unwrap_or(body);
    let paras = write_roots(dom, &roots, &junk);
    let texts: Vec<String> = paras.iter().map(|p| collapse(&p.text)).collect();
    let mut reasons = Vec::new();
    finish(dom, paras, title, Some(&mut reasons));
    let describe = |id: NodeId| -> String {
        let mut s = dom.tag_name(dom.tag(id).unwrap_or(0)).to_string();
        if let Some(c) = dom.attr(id, "id") {
            s.push('#');
            s.push_str(c);
        }
        if let Some(c) = dom.attr(id, "class") {
            s.push('.');
            s.push_str(&c.split_whitespace().collect::<Vec<_>>().join("."));
        }
        s
    };
    let body_end = dom.subtree_end(body);
    let mut out = Vec::new();
    let mut a = best;
    while a != NONE && a >= body {
        let s = st[a as usize];
        out.push(format!(
            "container {}: good {:.0} bad {:.0} text {} link {}",
            describe(a),
            s.good,
            s.bad,
            s.text,
            s.link
        ));
        a = dom.nodes[a as usize].parent;
    }
    let in_best = |i: NodeId| roots.iter().any(|&r| i >= r && i < dom.subtree_end(r));
    snippets
        .iter()
        .map(|snip| {
            let snip = collapse(snip);
            if let Some(k) = texts.iter().position(|t| t.contains(&snip)) {
                return match reasons.iter().find(|(i, _)| *i == k) {
                    Some((_, r)) => format!("dropped: {r}"),
                    None => "kept".to_string(),
                };
            }
            let head: String = snip.chars().take(24).collect();
            for i in body..body_end {
                if !matches!(dom.nodes[i as usize].kind, Kind::Text { .. }) {
                    continue;
                }
                let raw = matches!(
                    dom.tag(dom.nodes[i as usize].parent),
                    Some(tag::SCRIPT | tag::STYLE | tag::TEMPLATE | tag::NOSCRIPT)
                );
                if raw || !collapse(dom.text_of(i)).contains(head.trim()) {
                    continue;
                }
                // the highest junk ancestor
                let mut a = i;
                let mut cause = NONE;
                while a != NONE && a >= body {
                    if junk[a as usize] != Junk::No {
                        cause = a;
                    }
                    a = dom.nodes[a as usize].parent;
                }
                if cause != NONE {
                    return format!("junk {:?}: {}", junk[cause as usize], describe(cause));
                }
                if !in_best(i) {
                    let mut path = Vec::new();
                    let mut a = dom.nodes[i as usize].parent;
                    while a != NONE && a >= body && path.len() < 4 {
                        path.push(describe(a));
                        a = dom.nodes[a as usize].parent;
                    }
                    return format!(
                        "outside container {} (in {})",
                        describe(best),
                        path.join(" < ")
                    );
                }
                return "in container, split across blocks".to_string();
            }
            "not found in the body text".to_string()
        })
        .chain(out)
        .collect()
}

fn collapse(s: &str) -> String {
    let mut o = String::new();
    push_collapsed(&mut o, s);
    o.trim().to_string()
}

/// The boilerplate verdicts and the container chosen.
fn analyse(dom: &Dom, body: NodeId, by_class: bool) -> (Vec<Junk>, Vec<NodeId>, Vec<Stats>) {
    let n = dom.nodes.len();
    let body_end = dom.subtree_end(body);
    // 1. top-down: junk verdicts, nearest block, inside a link
    let mut junk = vec![Junk::No; n];
    let mut good_hint = vec![false; n];
    let mut block_of: Vec<NodeId> = vec![NONE; n];
    let mut in_link = vec![false; n];
    let mut buf = String::new();
    for i in body..body_end {
        let iu = i as usize;
        let node = &dom.nodes[iu];
        let parent = node.parent;
        let (pj, pb, pl) = if i == body || parent == NONE {
            (Junk::No, i, false)
        } else {
            let pu = parent as usize;
            (junk[pu], block_of[pu], in_link[pu])
        };
        match node.kind {
            Kind::Text { .. } => {
                junk[iu] = pj;
                block_of[iu] = pb;
                in_link[iu] = pl;
            }
            Kind::Element { tag: t, .. } => {
                block_of[iu] = if is_block(t) { i } else { pb };
                in_link[iu] = pl || t == tag::A;
                if pj == Junk::Tag || pj == Junk::Embed {
                    junk[iu] = pj;
                    continue;
                }
                if pj == Junk::Post {
                    junk[iu] = if tag_junk(t) { Junk::Tag } else { pj };
                    continue;
                }
                let (mut v, good, _, firm) = verdict_firm(dom, i, t, i == body, &mut buf);
                if !by_class && v == Junk::Class && !firm {
                    v = Junk::No;
                }
                junk[iu] = if v == Junk::No { pj } else { v };
                good_hint[iu] = good;
            }
        }
    }
    // 2. bottom-up: stats of own text per block, then sums per subtree, with
    //    class junk counted apart so that a container marked by mistake
    //    (a "post-header" around the whole page) can be taken back.
    let mut own_text = vec![0u32; n];
    let mut own_link = vec![0u32; n];
    let mut own_punct = vec![0u32; n];
    let mut own_gaps = vec![0u32; n];
    for i in body..body_end {
        let iu = i as usize;
        if junk[iu] != Junk::No && junk[iu] != Junk::Class {
            continue;
        }
        if let Kind::Text { .. } = dom.nodes[iu].kind {
            let s = dom.text_of(i);
            let l = char_len(s);
            if l == 0 {
                continue;
            }
            let b = block_of[iu];
            if b == NONE {
                continue;
            }
            own_text[b as usize] += l;
            own_punct[b as usize] += punct_count(s);
            own_gaps[b as usize] += gap_count(s);
            if in_link[iu] {
                own_link[b as usize] += l;
            }
        }
    }
    let own = Own {
        text: &own_text,
        link: &own_link,
        punct: &own_punct,
        gaps: &own_gaps,
    };
    let all = sums(dom, body, body_end, &junk, &own, true);
    // un-junk class-marked containers that hold most of the page's prose
    // (a "post-header" or "has-sidebar" around the whole article)
    let total_good = all[body as usize].good.max(1.0);
    for i in body..body_end {
        let iu = i as usize;
        if junk[iu] != Junk::Class {
            continue;
        }
        let p = dom.nodes[iu].parent;
        let parent_ok = p == NONE || p < body || junk[p as usize] == Junk::No;
        if !parent_ok {
            continue;
        }
        let (v, limit) = match dom.nodes[iu].kind {
            Kind::Element { tag: t, .. } => {
                let (v, _, limit) = verdict(dom, i, t, false, &mut buf);
                (v, limit)
            }
            Kind::Text { .. } => (Junk::No, f32::INFINITY),
        };
        let a = all[iu];
        // most of the page's prose: a wrapper, whatever links it holds too
        let prose = a.link * 3 < a.text || a.good > WRAPPER_SHARE * total_good;
        if v != Junk::Class {
            junk[iu] = v;
        } else if prose && ((a.good > RESCUE_SHARE * total_good) || a.good >= limit) {
            junk[iu] = Junk::No;
        }
    }
    let st = sums(dom, body, body_end, &junk, &own, false);
    // 3. the container: the element with the best prose minus boilerplate
    let mut best = body;
    let mut best_score = f32::MIN;
    for i in body..body_end {
        let iu = i as usize;
        if junk[iu] != Junk::No || dom.tag(i).is_none() {
            continue;
        }
        let s = st[iu];
        if s.good <= 0.0 {
            continue;
        }
        let mut score = s.good - BAD_WEIGHT * s.bad;
        if good_hint[iu] {
            score += HINT_BONUS * s.good;
        }
        if score > best_score {
            best_score = score;
            best = i;
        }
    }
    // a paragraph is not a container: the article is the element around it
    if best != body && own_text[best as usize] * 2 >= st[best as usize].text {
        let p = dom.nodes[best as usize].parent;
        if p != NONE && p >= body && junk[p as usize] == Junk::No {
            best = p;
        }
    }
    // siblings that read as prose belong to the article too (a lead
    // paragraph next to the body's container)
    let mut roots = vec![best];
    let parent = dom.nodes[best as usize].parent;
    if best != body && parent != NONE {
        roots.clear();
        for c in dom.children(parent) {
            let cu = c as usize;
            let s = st[cu];
            let prose = junk[cu] == Junk::No
                && s.good >= SIBLING_PROSE
                && s.good >= 0.9 * s.text as f32
                && s.link * 4 < s.text;
            if c == best || prose {
                roots.push(c);
            }
            if c == best {
                break;
            }
        }
    }
    (junk, roots, st)
}

fn write_roots(dom: &Dom, roots: &[NodeId], junk: &[Junk]) -> Vec<Para> {
    let mut paras = Vec::new();
    for &r in roots {
        paras.extend(write_blocks(dom, r, junk));
    }
    paras
}

/// The text of a JSON-LD `articleBody` (plain text, or HTML): line breaks
/// become paragraph breaks.
pub fn from_article_body(body: &str, title: Option<&str>) -> String {
    let dom = crate::dom::parse(body);
    let junk = vec![Junk::No; dom.nodes.len()];
    let has_markup = dom
        .nodes
        .iter()
        .any(|n| matches!(n.kind, Kind::Element { tag: t, .. } if t != tag::ROOT && is_block(t)));
    if has_markup {
        return finish(&dom, write_blocks(&dom, 0, &junk), title, None);
    }
    let text = dom.text_content(0, usize::MAX);
    let paras: Vec<String> = body
        .split('\n')
        .map(|l| {
            let mut s = String::new();
            push_collapsed(&mut s, &crate::dom::unescape(l, false));
            s.trim().to_string()
        })
        .filter(|l| !l.is_empty())
        .collect();
    if paras.is_empty() {
        text
    } else {
        paras.join("\n\n")
    }
}

/// The block writer's state: the paragraph being built and where it is.
#[derive(Default)]
struct Writer {
    paras: Vec<Para>,
    cur: String,
    cur_link: u32,
    /// The innermost block element open when the paragraph's first text came.
    cur_block: NodeId,
    brs: u32,
    after_embed: bool,
    heading_depth: u32,
    quote_depth: u32,
    li_depth: u32,
    link_depth: u32,
    post_depth: u32,
    /// Open lists (`ul`, `ol`, `dl`, `table`), innermost last.
    lists: Vec<NodeId>,
    /// Open block elements, innermost last.
    blocks: Vec<NodeId>,
}

impl Writer {
    fn flush(&mut self) {
        let t = self.cur.trim();
        if !t.is_empty() {
            let len = char_len(t);
            self.paras.push(Para {
                text: t.replace(" \n", "\n").replace("\n ", "\n"),
                heading: self.heading_depth > 0,
                quote: self.quote_depth > 0,
                link: self.cur_link.min(len),
                len,
                after_embed: self.after_embed,
                list_item: self.li_depth > 0,
                block: self.cur_block,
                post: self.post_depth > 0,
                list: self.lists.last().copied().unwrap_or(NONE),
            });
            self.after_embed = false;
        }
        self.cur.clear();
        self.cur_link = 0;
        self.brs = 0;
    }

    fn text(&mut self, s: &str) {
        if s.trim().is_empty() {
            if !self.cur.is_empty() && !self.cur.ends_with([' ', '\n']) {
                self.cur.push(' ');
            }
            return;
        }
        if self.cur.trim().is_empty() {
            self.cur_block = self.blocks.last().copied().unwrap_or(NONE);
        } else if self.brs == 1 {
            let t = self.cur.trim_end().len();
            self.cur.truncate(t);
            self.cur.push('\n');
        }
        self.brs = 0;
        let before = self.cur.len();
        push_collapsed(&mut self.cur, s);
        if self.link_depth > 0 {
            self.cur_link += char_len(&self.cur[before..]);
        }
    }
}

fn write_blocks(dom: &Dom, root: NodeId, junk: &[Junk]) -> Vec<Para> {
    let mut w = Writer {
        cur_block: NONE,
        ..Writer::default()
    };
    // explicit stack: (node, entering)
    let mut stack: Vec<(NodeId, bool)> = vec![(root, true)];
    while let Some((id, entering)) = stack.pop() {
        let iu = id as usize;
        let node = &dom.nodes[iu];
        let t = match node.kind {
            Kind::Text { .. } => {
                w.text(dom.text_of(id));
                continue;
            }
            Kind::Element { tag: t, .. } => t,
        };
        if entering {
            if id != root && !matches!(junk[iu], Junk::No | Junk::Post) {
                if junk[iu] == Junk::Embed {
                    w.after_embed = true;
                }
                continue;
            }
            if junk[iu] == Junk::Post {
                if w.post_depth == 0 {
                    w.flush();
                }
                w.post_depth += 1;
            }
            if t == tag::BR {
                if !w.cur.trim().is_empty() {
                    w.brs += 1;
                    if w.brs >= 2 {
                        w.flush();
                    }
                }
                continue;
            }
            if is_block(t) {
                w.flush();
                w.blocks.push(id);
            }
            if matches!(t, tag::UL | tag::OL | tag::DL | tag::TABLE) {
                w.lists.push(id);
            }
            match t {
                tag::H1 | tag::H2 | tag::H3 | tag::H4 | tag::H5 | tag::H6 => w.heading_depth += 1,
                tag::BLOCKQUOTE => w.quote_depth += 1,
                tag::LI | tag::DD | tag::DT => w.li_depth += 1,
                tag::A => w.link_depth += 1,
                _ => {}
            }
            stack.push((id, false));
            if t == tag::IMG {
                continue;
            }
            // children in reverse so the first is popped first
            let mark = stack.len();
            let mut c = node.first_child;
            while c != NONE {
                stack.push((c, true));
                c = dom.nodes[c as usize].next;
            }
            stack[mark..].reverse();
        } else {
            if is_block(t) {
                w.flush();
                w.blocks.pop();
            }
            if matches!(t, tag::UL | tag::OL | tag::DL | tag::TABLE) {
                w.lists.pop();
            }
            if junk[iu] == Junk::Post {
                w.post_depth = w.post_depth.saturating_sub(1);
                if w.post_depth == 0 {
                    w.flush();
                    w.after_embed = true;
                }
            }
            match t {
                tag::H1 | tag::H2 | tag::H3 | tag::H4 | tag::H5 | tag::H6 => {
                    w.heading_depth = w.heading_depth.saturating_sub(1)
                }
                tag::BLOCKQUOTE => w.quote_depth = w.quote_depth.saturating_sub(1),
                tag::LI | tag::DD | tag::DT => w.li_depth = w.li_depth.saturating_sub(1),
                tag::A => w.link_depth = w.link_depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    w.heading_depth = 0;
    w.quote_depth = 0;
    w.li_depth = 0;
    w.flush();
    w.paras
}

/// Words that open a credit or copyright line ("Foto: …", "Bild: dpa",
/// "Photo by …", "Copyright 2020 …").
const CREDIT_WORDS: &[&str] = &[
    "foto",
    "fotos",
    "bild",
    "bilder",
    "bildquelle",
    "photo",
    "photos",
    "image",
    "images",
    "credit",
    "credits",
    "crédit",
    "crédits",
    "quelle",
    "source",
    "copyright",
];

/// Phrases of a label that introduces links to other articles ("Mehr zum
/// Thema", "Read more", "Lire aussi"), lower case.
const RELATED_PHRASES: &[&str] = &[
    "mehr zum thema",
    "auch interessant",
    "lesen sie auch",
    "lies auch",
    "auch lesen",
    "weiterlesen",
    "könnte sie auch",
    "könnte dich auch",
    "das könnte sie",
    "meistgelesen",
    "weitere artikel",
    "neueste artikel",
    "lesetipp",
    "read more",
    "read also",
    "more from",
    "you may also",
    "you might also",
    "see also",
    "most read",
    "related articles",
    "related stories",
    "lire aussi",
    "voir aussi",
    "à lire",
    "le puede interesar",
    "lee también",
    "vea también",
    "puedes ver",
    "leggi anche",
];

/// A short line that introduces links to other articles.
fn is_related_label(text: &str) -> bool {
    let lower = text.to_lowercase();
    RELATED_PHRASES.iter().any(|p| lower.contains(p))
}

/// A short line that credits a picture or states a copyright.
fn is_credit(p: &Para) -> bool {
    if p.len >= CREDIT_LEN || p.heading {
        return false;
    }
    let t = p.text.trim_start();
    let first: String = t
        .chars()
        .take_while(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    let lower = t.to_lowercase();
    CREDIT_WORDS.contains(&first.as_str())
        || lower.contains('©')
        || lower.contains("getty images")
        || lower.contains("(c) ")
}

fn parent_of(dom: &Dom, id: NodeId) -> NodeId {
    dom.nodes.get(id as usize).map_or(NONE, |n| n.parent)
}

fn ends_sentence(s: &str) -> bool {
    s.trim_end().chars().last().is_some_and(|c| {
        matches!(
            c,
            '.' | '!' | '?' | ':' | '"' | '”' | '»' | '“' | '…' | ')' | '。'
        )
    })
}

fn norm_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Filters the blocks and joins them; with `why`, records (block index,
/// reason) for every block left out.
fn finish(
    dom: &Dom,
    paras: Vec<Para>,
    title: Option<&str>,
    mut why: Option<&mut Vec<(usize, &'static str)>>,
) -> String {
    let mut note = |i: usize, r: &'static str| {
        if let Some(w) = why.as_deref_mut() {
            w.push((i, r));
        }
    };
    let title_key = title.map(norm_key).unwrap_or_default();
    let mut kept: Vec<Para> = Vec::with_capacity(paras.len());
    let mut index: Vec<usize> = Vec::with_capacity(paras.len());
    let mut seen_prose = false;
    // the links of each list, as a whole: an item that is a link in a list
    // of text items is content, a list of links is not
    let mut list_links: std::collections::HashMap<NodeId, (u32, u32)> =
        std::collections::HashMap::new();
    for p in paras.iter().filter(|p| p.list != NONE) {
        let e = list_links.entry(p.list).or_default();
        e.0 += p.link;
        e.1 += p.len;
    }
    let mut after_related = false;
    for (pi, p) in paras.into_iter().enumerate() {
        // link lists and link-only blocks
        let (link, len) = match list_links.get(&p.list) {
            Some(&(l, n)) if p.list != NONE => (l, n),
            _ => (p.link, p.len),
        };
        if link * 10 > len * 6 && p.link * 10 > p.len * 6 && !(p.heading && p.len > 20) {
            note(pi, "links");
            // the label of a list of links ("Read more", "Most read") goes with it
            if index.last() == Some(&pi.wrapping_sub(1))
                && kept
                    .last()
                    .is_some_and(|k| k.len < LABEL_LEN && (k.heading || !ends_sentence(&k.text)))
            {
                kept.pop();
                if let Some(i) = index.pop() {
                    note(i, "label of links");
                }
            }
            continue;
        }
        let key = norm_key(&p.text);
        if key.is_empty() {
            continue;
        }
        if is_credit(&p) {
            note(pi, "credit");
            continue;
        }
        if p.len < LABEL_LEN && is_related_label(&p.text) {
            note(pi, "related label");
            after_related = true;
            continue;
        }
        // the teasers the label introduces: short lines with a link
        if after_related && !p.heading && p.link > 0 && p.len < TEASER_LEN {
            note(pi, "related teaser");
            continue;
        }
        after_related = false;
        // the title again at the start (or as any heading)
        if !title_key.is_empty() && (p.heading || !seen_prose) && key == title_key {
            note(pi, "title");
            continue;
        }
        if !p.heading && p.len >= 60 {
            seen_prose = true;
        }
        kept.push(p);
        index.push(pi);
    }
    // the tail after the last prose block: "more on this", link teasers, labels
    let is_prose =
        |p: &Para| !p.heading && (p.len >= 100 || (p.len >= 40 && ends_sentence(&p.text)));
    if let Some(mut last) = kept.iter().rposition(is_prose) {
        // short lines that close the text (a signature, a source, a data
        // line) stay when they are siblings of the last prose block
        let home = kept[last].block;
        let home_parent = parent_of(dom, home);
        while let Some(p) = kept.get(last + 1) {
            let sibling = p.block == home || parent_of(dom, p.block) == home_parent;
            // a heading or a label ("Contact:", "More:") opens another section
            if p.heading || !sibling || home == NONE || p.text.trim_end().ends_with(':') {
                break;
            }
            last += 1;
        }
        for &pi in &index[last + 1..] {
            note(pi, "tail");
        }
        kept.truncate(last + 1);
        index.truncate(last + 1);
    }
    // before the first prose block: headings stay, short lines (dates, labels) go
    if let Some(first) = kept.iter().position(is_prose) {
        // a short line among the article's paragraphs (a sibling of the
        // first prose block, no date or count in it) is the article's
        let home_parent = parent_of(dom, kept[first].block);
        let keep: Vec<bool> = kept
            .iter()
            .enumerate()
            .map(|(i, p)| {
                i >= first
                    || p.heading
                    || p.len >= 40
                    || (home_parent != NONE
                        && parent_of(dom, p.block) == home_parent
                        && !p.text.contains(|c: char| c.is_ascii_digit()))
            })
            .collect();
        let mut k = keep.iter();
        kept.retain(|_| *k.next().unwrap_or(&true));
        let mut k = keep.iter();
        index.retain(|&pi| {
            let ok = *k.next().unwrap_or(&true);
            if !ok {
                note(pi, "head");
            }
            ok
        });
    }
    // duplicates: the same block twice, or a short block (a pull quote)
    // that repeats a longer one
    let keys: Vec<String> = kept.iter().map(|p| norm_key(&p.text)).collect();
    let mut drop = vec![false; kept.len()];
    let mut seen = std::collections::HashSet::new();
    for (i, k) in keys.iter().enumerate() {
        if k.len() >= 20 && !seen.insert(k.as_str()) {
            drop[i] = true;
        }
    }
    let checks = kept.len().min(400);
    for i in 0..checks {
        if drop[i] || keys[i].len() < 30 || keys[i].len() > 400 {
            continue;
        }
        if (kept[i].quote || kept[i].len < 300)
            && (0..checks).any(|j| {
                j != i
                    && !drop[j]
                    && keys[j].len() > keys[i].len()
                    && keys[j].contains(keys[i].as_str())
            })
        {
            drop[i] = true;
        }
    }
    let mut out = String::new();
    // embedded posts wait until the paragraph after them: a statement they
    // interrupt is joined first, and they follow it
    let mut posts: Vec<String> = Vec::new();
    let push = |out: &mut String, text: &str| {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(text);
    };
    for (i, p) in kept.into_iter().enumerate() {
        if drop[i] {
            note(index[i], "duplicate");
            continue;
        }
        if p.post {
            posts.push(p.text);
            continue;
        }
        let joins = !out.is_empty()
            && p.after_embed
            && !ends_sentence(&out)
            && p.text
                .chars()
                .next()
                .is_some_and(|c| c.is_lowercase() || c.is_ascii_digit());
        if joins {
            out.push(' ');
            out.push_str(&p.text);
        } else {
            for t in posts.drain(..) {
                push(&mut out, &t);
            }
            push(&mut out, &p.text);
        }
        if joins {
            for t in posts.drain(..) {
                push(&mut out, &t);
            }
        }
    }
    for t in posts.drain(..) {
        push(&mut out, &t);
    }
    out
}
