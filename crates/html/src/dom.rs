//! A small, forgiving HTML parser: a byte-level tokenizer and an arena tree.
//!
//! It is not the full HTML5 tree-construction algorithm, but it follows the
//! parts that matter for reading text: raw-text elements (`script`, `style`,
//! …), comments, void elements, the implied end tags of `p`, `li`, `dt`/`dd`,
//! `option`, table rows and cells, and end tags that close every element
//! opened after their start tag. Stray end tags are ignored. Everything is
//! linear in the input: the open-element stack is searched only when the tag
//! is known to be open (a count per tag), and every pop is paid for by a push.
//! Nothing recurses: nodes live in one `Vec`, a child always after its parent.

use std::borrow::Cow;
use std::collections::HashMap;

/// Index of a node in [`Dom::nodes`].
pub type NodeId = u32;
/// No node (no parent, no child, no sibling).
pub const NONE: NodeId = u32::MAX;

/// Tag ids of the elements the extractor cares about; other names are
/// interned per document with ids from [`FIRST_OTHER`] on.
pub mod tag {
    macro_rules! tags {
        ($($name:ident = $s:literal),* $(,)?) => {
            /// The lower-case name of every known tag id.
            pub const NAMES: &[&str] = &[$($s),*];
            $(
                #[allow(missing_docs)]
                pub const $name: u16 = idx($s);
            )*
            /// The first id given to a name that is not known.
            pub const FIRST_OTHER: u16 = NAMES.len() as u16;
            /// The id of a known (lower-case) tag name.
            pub fn known(name: &str) -> Option<u16> {
                match name {
                    $( $s => Some($name), )*
                    _ => None,
                }
            }
        };
    }
    const fn idx(name: &str) -> u16 {
        let mut i = 0;
        while i < NAMES.len() {
            let (a, b) = (NAMES[i].as_bytes(), name.as_bytes());
            if a.len() == b.len() {
                let mut j = 0;
                while j < a.len() && a[j] == b[j] {
                    j += 1;
                }
                if j == a.len() {
                    return i as u16;
                }
            }
            i += 1;
        }
        u16::MAX
    }
    tags! {
        ROOT = "#root", HTML = "html", HEAD = "head", BODY = "body", TITLE = "title", META = "meta",
        LINK = "link", BASE = "base", SCRIPT = "script", STYLE = "style", NOSCRIPT = "noscript",
        TEMPLATE = "template", TEXTAREA = "textarea", XMP = "xmp", IFRAME = "iframe",
        NOEMBED = "noembed", NOFRAMES = "noframes", PLAINTEXT = "plaintext", SVG = "svg",
        MATH = "math", CANVAS = "canvas", OBJECT = "object", EMBED = "embed", VIDEO = "video",
        AUDIO = "audio", SOURCE = "source", TRACK = "track", PICTURE = "picture", IMG = "img",
        P = "p", DIV = "div", SPAN = "span", A = "a", BR = "br", HR = "hr", WBR = "wbr",
        H1 = "h1", H2 = "h2", H3 = "h3", H4 = "h4", H5 = "h5", H6 = "h6", UL = "ul", OL = "ol",
        LI = "li", DL = "dl", DT = "dt", DD = "dd", TABLE = "table", THEAD = "thead",
        TBODY = "tbody", TFOOT = "tfoot", TR = "tr", TD = "td", TH = "th", CAPTION = "caption",
        COLGROUP = "colgroup", COL = "col", BLOCKQUOTE = "blockquote", Q = "q", PRE = "pre",
        CODE = "code", ARTICLE = "article", SECTION = "section", MAIN = "main", NAV = "nav",
        ASIDE = "aside", HEADER = "header", FOOTER = "footer", ADDRESS = "address",
        FIGURE = "figure", FIGCAPTION = "figcaption", FORM = "form", INPUT = "input",
        BUTTON = "button", SELECT = "select", OPTION = "option", OPTGROUP = "optgroup",
        LABEL = "label", FIELDSET = "fieldset", LEGEND = "legend", DIALOG = "dialog",
        MENU = "menu", DETAILS = "details", SUMMARY = "summary", TIME = "time", B = "b",
        I = "i", EM = "em", STRONG = "strong", U = "u", S = "s", SMALL = "small", SUB = "sub",
        SUP = "sup", FONT = "font", CENTER = "center", ABBR = "abbr", CITE = "cite",
        MARK = "mark", DEL = "del", INS = "ins", AREA = "area", MAP = "map", PARAM = "param",
        FRAME = "frame", FRAMESET = "frameset", KBD = "kbd", SAMP = "samp", VAR = "var",
        BIG = "big", TT = "tt", NOBR = "nobr", DFN = "dfn", BDI = "bdi", BDO = "bdo",
        RUBY = "ruby", RT = "rt", RP = "rp", DATA = "data", OUTPUT = "output", HGROUP = "hgroup",
    }
}

/// What a node is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An element: its tag id and its attributes (a range of [`Dom::attrs`]).
    Element {
        /// Tag id ([`tag`]).
        tag: u16,
        /// First attribute in [`Dom::attrs`].
        attr_start: u32,
        /// Number of attributes.
        attr_len: u16,
    },
    /// Text: a range of [`Dom::text`] (entities decoded).
    Text {
        /// Start byte in [`Dom::text`].
        start: u32,
        /// End byte in [`Dom::text`].
        end: u32,
    },
}

/// One node of the tree.
#[derive(Clone, Copy, Debug)]
pub struct Node {
    /// Element or text.
    pub kind: Kind,
    /// Parent ([`NONE`] for the root).
    pub parent: NodeId,
    /// First child ([`NONE`] when none).
    pub first_child: NodeId,
    /// Last child ([`NONE`] when none).
    pub last_child: NodeId,
    /// Next sibling ([`NONE`] when none).
    pub next: NodeId,
}

/// One attribute: ranges of [`Dom::attr_text`] (name lower case, value decoded).
#[derive(Clone, Copy, Debug)]
pub struct Attr {
    name: (u32, u32),
    value: (u32, u32),
}

/// A parsed document: node 0 is the root.
#[derive(Debug, Default)]
pub struct Dom {
    /// All nodes, parents before children, in document order.
    pub nodes: Vec<Node>,
    /// The text of all text nodes, one after the other.
    pub text: String,
    attrs: Vec<Attr>,
    attr_text: String,
    other_names: Vec<String>,
}

impl Dom {
    /// The tag id of an element node, `None` for text.
    pub fn tag(&self, id: NodeId) -> Option<u16> {
        match self.nodes[id as usize].kind {
            Kind::Element { tag, .. } => Some(tag),
            Kind::Text { .. } => None,
        }
    }

    /// The text of a text node ("" for elements).
    pub fn text_of(&self, id: NodeId) -> &str {
        match self.nodes[id as usize].kind {
            Kind::Text { start, end } => self.text.get(start as usize..end as usize).unwrap_or(""),
            Kind::Element { .. } => "",
        }
    }

    /// The value of attribute `name` (lower case) of an element.
    pub fn attr(&self, id: NodeId, name: &str) -> Option<&str> {
        self.attrs_of(id).find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// All attributes of an element, (name, value).
    pub fn attrs_of(&self, id: NodeId) -> impl Iterator<Item = (&str, &str)> {
        let range = match self.nodes[id as usize].kind {
            Kind::Element {
                attr_start,
                attr_len,
                ..
            } => attr_start as usize..attr_start as usize + attr_len as usize,
            Kind::Text { .. } => 0..0,
        };
        self.attrs[range].iter().map(move |a| {
            let t = &self.attr_text;
            (
                t.get(a.name.0 as usize..a.name.1 as usize).unwrap_or(""),
                t.get(a.value.0 as usize..a.value.1 as usize).unwrap_or(""),
            )
        })
    }

    /// The lower-case name of a tag id.
    pub fn tag_name(&self, t: u16) -> &str {
        if let Some(n) = tag::NAMES.get(t as usize) {
            n
        } else {
            self.other_names
                .get((t - tag::FIRST_OTHER) as usize)
                .map_or("", |s| s.as_str())
        }
    }

    /// The children of a node, in order.
    pub fn children(&self, id: NodeId) -> Children<'_> {
        Children {
            dom: self,
            next: self.nodes[id as usize].first_child,
        }
    }

    /// The first element with tag `t`, in document order.
    pub fn find_first(&self, t: u16) -> Option<NodeId> {
        (0..self.nodes.len() as u32).find(|&i| self.tag(i) == Some(t))
    }

    /// The text content of a subtree, white space collapsed, at most `limit` bytes.
    pub fn text_content(&self, id: NodeId, limit: usize) -> String {
        let mut out = String::new();
        let end = self.subtree_end(id);
        for i in id..end {
            if let Kind::Text { .. } = self.nodes[i as usize].kind {
                push_collapsed(&mut out, self.text_of(i));
                if out.len() >= limit {
                    break;
                }
            }
        }
        out.truncate(floor_char_boundary(&out, limit));
        out.trim_end().to_string()
    }

    /// [`Dom::text_content`] that also stops after `max_nodes` nodes, so
    /// that a look at the start of a large subtree costs a bounded amount.
    pub fn text_prefix(&self, id: NodeId, limit: usize, max_nodes: u32) -> String {
        let mut out = String::new();
        let end = self.subtree_end(id).min(id.saturating_add(max_nodes));
        for i in id..end {
            if let Kind::Text { .. } = self.nodes[i as usize].kind {
                push_collapsed(&mut out, self.text_of(i));
                if out.len() >= limit {
                    break;
                }
            }
        }
        out.truncate(floor_char_boundary(&out, limit));
        out.trim_end().to_string()
    }

    /// One past the last node of the subtree of `id` (nodes are in document order).
    pub fn subtree_end(&self, id: NodeId) -> NodeId {
        let mut n = id;
        loop {
            let node = &self.nodes[n as usize];
            if node.next != NONE {
                return node.next;
            }
            if node.parent == NONE {
                return self.nodes.len() as NodeId;
            }
            n = node.parent;
        }
    }
}

/// Iterator over the children of a node.
pub struct Children<'a> {
    dom: &'a Dom,
    next: NodeId,
}

impl Iterator for Children<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        if self.next == NONE {
            return None;
        }
        let id = self.next;
        self.next = self.dom.nodes[id as usize].next;
        Some(id)
    }
}

/// Appends `s` to `out` with runs of white space collapsed to one space
/// (a space at the start is kept only when `out` does not end in one).
pub fn push_collapsed(out: &mut String, s: &str) {
    let mut space = out.is_empty() || out.ends_with([' ', '\n']);
    for c in s.chars() {
        if c == '\u{ad}' {
            // a soft hyphen marks where a word may break: not text
            continue;
        }
        if c.is_whitespace() || c == '\u{200b}' || c == '\u{feff}' {
            if !space {
                out.push(' ');
                space = true;
            }
        } else {
            out.push(c);
            space = false;
        }
    }
}

/// The largest char boundary of `s` at or below `i`.
pub fn floor_char_boundary(s: &str, i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    let mut i = i;
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn is_void(t: u16) -> bool {
    use tag::*;
    matches!(
        t,
        AREA | BASE
            | BR
            | COL
            | EMBED
            | HR
            | IMG
            | INPUT
            | LINK
            | META
            | PARAM
            | SOURCE
            | TRACK
            | WBR
            | FRAME
    )
}

/// Elements whose start closes an open `p` (HTML's "close a p element").
fn closes_p(t: u16) -> bool {
    use tag::*;
    matches!(
        t,
        ADDRESS
            | ARTICLE
            | ASIDE
            | BLOCKQUOTE
            | DETAILS
            | DIALOG
            | DIV
            | DL
            | FIELDSET
            | FIGCAPTION
            | FIGURE
            | FOOTER
            | FORM
            | H1
            | H2
            | H3
            | H4
            | H5
            | H6
            | HEADER
            | HGROUP
            | HR
            | MAIN
            | MENU
            | NAV
            | OL
            | P
            | PRE
            | SECTION
            | TABLE
            | UL
            | LI
            | DD
            | DT
    )
}

fn is_inline(t: u16) -> bool {
    use tag::*;
    matches!(
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
    )
}

/// How many open elements an implied end tag may look through.
const SCOPE_LOOKBACK: usize = 24;

struct Builder {
    dom: Dom,
    stack: Vec<NodeId>,
    open_count: Vec<u32>,
    other_ids: HashMap<String, u16>,
    body: bool,
}

impl Builder {
    fn new(cap: usize) -> Self {
        let mut dom = Dom {
            nodes: Vec::with_capacity(cap / 24 + 16),
            text: String::with_capacity(cap / 3),
            attrs: Vec::with_capacity(cap / 64 + 8),
            attr_text: String::with_capacity(cap / 6),
            other_names: Vec::new(),
        };
        dom.nodes.push(Node {
            kind: Kind::Element {
                tag: tag::ROOT,
                attr_start: 0,
                attr_len: 0,
            },
            parent: NONE,
            first_child: NONE,
            last_child: NONE,
            next: NONE,
        });
        Builder {
            dom,
            stack: vec![0],
            open_count: vec![0; tag::FIRST_OTHER as usize],
            other_ids: HashMap::new(),
            body: false,
        }
    }

    fn intern(&mut self, name: &str) -> u16 {
        if let Some(t) = tag::known(name) {
            return t;
        }
        if let Some(&t) = self.other_ids.get(name) {
            return t;
        }
        let next = tag::FIRST_OTHER as usize + self.dom.other_names.len();
        if next >= u16::MAX as usize {
            return tag::SPAN; // absurdly many distinct names: read the rest as spans
        }
        let t = next as u16;
        self.dom.other_names.push(name.to_string());
        self.other_ids.insert(name.to_string(), t);
        self.open_count.push(0);
        t
    }

    fn top(&self) -> NodeId {
        *self.stack.last().unwrap_or(&0)
    }

    fn append(&mut self, kind: Kind) -> NodeId {
        let parent = self.top();
        let id = self.dom.nodes.len() as NodeId;
        self.dom.nodes.push(Node {
            kind,
            parent,
            first_child: NONE,
            last_child: NONE,
            next: NONE,
        });
        let p = &mut self.dom.nodes[parent as usize];
        let last = p.last_child;
        p.last_child = id;
        if last == NONE {
            p.first_child = id;
        } else {
            self.dom.nodes[last as usize].next = id;
        }
        id
    }

    fn pop(&mut self) {
        if self.stack.len() > 1 {
            if let Some(id) = self.stack.pop() {
                if let Some(t) = self.dom.tag(id) {
                    if let Some(c) = self.open_count.get_mut(t as usize) {
                        *c = c.saturating_sub(1);
                    }
                }
            }
        }
    }

    fn is_open(&self, t: u16) -> bool {
        self.open_count.get(t as usize).is_some_and(|&c| c > 0)
    }

    /// Pops up to and including the nearest open `t` if it is found within
    /// [`SCOPE_LOOKBACK`] elements, looking through `through` elements only.
    fn close_implied(&mut self, targets: &[u16], through: impl Fn(u16) -> bool) {
        if !targets.iter().any(|&t| self.is_open(t)) {
            return;
        }
        let n = self.stack.len();
        for depth in 0..SCOPE_LOOKBACK.min(n.saturating_sub(1)) {
            let id = self.stack[n - 1 - depth];
            let Some(t) = self.dom.tag(id) else { return };
            if targets.contains(&t) {
                for _ in 0..=depth {
                    self.pop();
                }
                return;
            }
            if !through(t) {
                return;
            }
        }
    }

    fn start_tag(&mut self, t: u16, attrs: &[(Cow<'_, str>, Cow<'_, str>)], self_closing: bool) {
        use tag::*;
        match t {
            HTML | HEAD | BODY if self.is_open(t) => return,
            BODY => self.body = true,
            _ => {}
        }
        if self.is_open(HEAD)
            && !matches!(
                t,
                TITLE | META | LINK | BASE | SCRIPT | STYLE | NOSCRIPT | TEMPLATE
            )
        {
            // anything else ends the head (the body starts, said or not)
            while self.stack.len() > 1 {
                let top = self.top();
                self.pop();
                if self.dom.tag(top) == Some(HEAD) {
                    break;
                }
            }
        }
        if closes_p(t) {
            self.close_implied(&[P], is_inline);
        }
        match t {
            LI => self.close_implied(&[LI], |x| !matches!(x, UL | OL | MENU)),
            DT | DD => self.close_implied(&[DT, DD], |x| x != DL),
            OPTION | OPTGROUP => self.close_implied(&[OPTION], |x| x != SELECT),
            TR => self.close_implied(&[TR], |x| matches!(x, TD | TH) || is_inline(x) || x == P),
            TD | TH => self.close_implied(&[TD, TH], |x| x != TR && x != TABLE),
            THEAD | TBODY | TFOOT => self.close_implied(&[THEAD, TBODY, TFOOT], |x| x != TABLE),
            H1 | H2 | H3 | H4 | H5 | H6 => self.close_implied(&[H1, H2, H3, H4, H5, H6], is_inline),
            A => self.close_implied(&[A], is_inline),
            _ => {}
        }
        let attr_start = self.dom.attrs.len() as u32;
        let mut attr_len: u16 = 0;
        for (name, value) in attrs.iter().take(u16::MAX as usize) {
            let at = &mut self.dom.attr_text;
            let n0 = at.len() as u32;
            at.push_str(name);
            let n1 = at.len() as u32;
            at.push_str(value);
            let v1 = at.len() as u32;
            self.dom.attrs.push(Attr {
                name: (n0, n1),
                value: (n1, v1),
            });
            attr_len += 1;
        }
        let id = self.append(Kind::Element {
            tag: t,
            attr_start,
            attr_len,
        });
        let closed_now = is_void(t) || (self_closing && (t >= FIRST_OTHER || t == SVG));
        if !closed_now {
            self.stack.push(id);
            if let Some(c) = self.open_count.get_mut(t as usize) {
                *c += 1;
            }
        }
    }

    fn end_tag(&mut self, t: u16) {
        use tag::*;
        if t == BR {
            self.start_tag(BR, &[], true);
            return;
        }
        if matches!(t, HTML | BODY | HEAD) {
            return; // content after </body> still belongs to the body
        }
        if !self.is_open(t) {
            return;
        }
        while self.stack.len() > 1 {
            let top = self.top();
            self.pop();
            if self.dom.tag(top) == Some(t) {
                break;
            }
        }
    }

    fn text(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        // merge with a preceding text node
        let top = self.top();
        let last = self.dom.nodes[top as usize].last_child;
        if last != NONE {
            if let Kind::Text { end, .. } = &mut self.dom.nodes[last as usize].kind {
                if *end as usize == self.dom.text.len() {
                    self.dom.text.push_str(s);
                    *end = self.dom.text.len() as u32;
                    return;
                }
            }
        }
        let start = self.dom.text.len() as u32;
        self.dom.text.push_str(s);
        let end = self.dom.text.len() as u32;
        self.append(Kind::Text { start, end });
    }
}

/// Decodes character references in `s` (text or attribute value).
pub fn unescape(s: &str, attribute: bool) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    if attribute {
        htmlize::unescape_attribute(s)
    } else {
        htmlize::unescape(s)
    }
}

fn find_ci(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let n = needle.len();
    if n == 0 || hay.len() < n {
        return None;
    }
    let first = needle[0];
    let mut i = from;
    while i + n <= hay.len() {
        // fast scan for '<'
        match hay[i..].iter().position(|&b| b == first) {
            None => return None,
            Some(p) => i += p,
        }
        if i + n > hay.len() {
            return None;
        }
        if hay[i..i + n].eq_ignore_ascii_case(needle) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Parses a decoded document.
pub fn parse(html: &str) -> Dom {
    let b = html.as_bytes();
    let mut bld = Builder::new(b.len());
    let mut i = 0;
    let mut text_start = 0;
    let mut attrs: Vec<(Cow<'_, str>, Cow<'_, str>)> = Vec::new();
    let mut name_buf = String::new();
    while i < b.len() {
        let Some(p) = b[i..].iter().position(|&c| c == b'<') else {
            break;
        };
        let lt = i + p;
        let next = b.get(lt + 1).copied().unwrap_or(0);
        if next == b'!' || next == b'?' {
            flush_text(&mut bld, html, text_start, lt);
            if b[lt..].starts_with(b"<!--") {
                i = match find_bytes(b, lt + 4, b"-->") {
                    Some(e) => e + 3,
                    None => b.len(),
                };
            } else if b[lt..].starts_with(b"<![CDATA[") {
                let end = find_bytes(b, lt + 9, b"]]>").unwrap_or(b.len());
                bld.text(&html[lt + 9..end]);
                i = (end + 3).min(b.len());
            } else {
                i = match b[lt..].iter().position(|&c| c == b'>') {
                    Some(e) => lt + e + 1,
                    None => b.len(),
                };
            }
            text_start = i;
            continue;
        }
        let closing = next == b'/';
        let name_start = if closing { lt + 2 } else { lt + 1 };
        if !b.get(name_start).is_some_and(|c| c.is_ascii_alphabetic()) {
            if closing && b.get(name_start) == Some(&b'>') {
                flush_text(&mut bld, html, text_start, lt);
                i = name_start + 1;
                text_start = i;
            } else {
                i = lt + 1; // a literal '<'
            }
            continue;
        }
        flush_text(&mut bld, html, text_start, lt);
        let mut j = name_start;
        while j < b.len() && !matches!(b[j], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>') {
            j += 1;
        }
        name_buf.clear();
        name_buf.push_str(&html[name_start..j]);
        name_buf.make_ascii_lowercase();
        // attributes
        attrs.clear();
        let mut self_closing = false;
        loop {
            while j < b.len() && matches!(b[j], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c') {
                j += 1;
            }
            if j >= b.len() {
                break;
            }
            match b[j] {
                b'>' => {
                    j += 1;
                    break;
                }
                b'/' => {
                    j += 1;
                    if b.get(j) == Some(&b'>') {
                        self_closing = true;
                        j += 1;
                        break;
                    }
                    continue;
                }
                _ => {}
            }
            let a0 = j;
            j += 1;
            while j < b.len()
                && !matches!(
                    b[j],
                    b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>' | b'='
                )
            {
                j += 1;
            }
            let aname = &html[a0..j];
            while j < b.len() && matches!(b[j], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c') {
                j += 1;
            }
            let mut value: &str = "";
            if b.get(j) == Some(&b'=') {
                j += 1;
                while j < b.len() && matches!(b[j], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c') {
                    j += 1;
                }
                match b.get(j) {
                    Some(&q) if q == b'"' || q == b'\'' => {
                        let v0 = j + 1;
                        let v1 = b[v0..]
                            .iter()
                            .position(|&c| c == q)
                            .map_or(b.len(), |e| v0 + e);
                        value = &html[v0..v1];
                        j = (v1 + 1).min(b.len());
                    }
                    Some(_) => {
                        let v0 = j;
                        while j < b.len()
                            && !matches!(b[j], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'>')
                        {
                            j += 1;
                        }
                        value = &html[v0..j];
                    }
                    None => {}
                }
            }
            if !closing && attrs.len() < 256 {
                let name: Cow<'_, str> = if aname.bytes().any(|c| c.is_ascii_uppercase()) {
                    Cow::Owned(aname.to_ascii_lowercase())
                } else {
                    Cow::Borrowed(aname)
                };
                if !attrs.iter().any(|(n, _)| *n == name) {
                    attrs.push((name, unescape(value, true)));
                }
            }
        }
        i = j;
        text_start = i;
        let t = bld.intern(&name_buf);
        if closing {
            bld.end_tag(t);
            continue;
        }
        bld.start_tag(t, &attrs, self_closing);
        use tag::*;
        let raw = matches!(
            t,
            SCRIPT
                | STYLE
                | TEXTAREA
                | TITLE
                | XMP
                | IFRAME
                | NOEMBED
                | NOFRAMES
                | NOSCRIPT
                | PLAINTEXT
        );
        if raw && !self_closing {
            let close = format!("</{}", tag::NAMES[t as usize]);
            let end = if t == PLAINTEXT {
                None
            } else {
                find_ci(b, i, close.as_bytes())
            };
            let end = end.unwrap_or(b.len());
            let content = &html[i..end];
            if matches!(t, TITLE | TEXTAREA) {
                bld.text(&unescape(content, false));
            } else {
                bld.text(content);
            }
            bld.end_tag(t);
            i = match b[end..].iter().position(|&c| c == b'>') {
                Some(e) => end + e + 1,
                None => b.len(),
            };
            text_start = i;
        }
    }
    flush_text(&mut bld, html, text_start, b.len());
    let mut dom = bld.dom;
    if !bld.body {
        // no <body> tag: mark by leaving it absent; callers look at the root
        dom.other_names.shrink_to_fit();
    }
    dom
}

fn flush_text(bld: &mut Builder, html: &str, start: usize, end: usize) {
    if start < end {
        if let Some(s) = html.get(start..end) {
            let s = unescape(s, false);
            bld.text(&s);
        }
    }
}

fn find_bytes(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from >= hay.len() {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags_under(dom: &Dom, id: NodeId) -> Vec<String> {
        dom.children(id)
            .map(|c| match dom.tag(c) {
                Some(t) => dom.tag_name(t).to_string(),
                None => format!("#{}", dom.text_of(c)),
            })
            .collect()
    }

    #[test]
    fn implied_ends_and_raw_text() {
        let dom =
            parse("<body><p>a<p>b<ul><li>x<li>y</ul><script>if (a<b) {}</script>&amp;</body>");
        let body = dom.find_first(tag::BODY).unwrap();
        assert_eq!(tags_under(&dom, body), ["p", "p", "ul", "script", "#&"]);
        let ul = dom.find_first(tag::UL).unwrap();
        assert_eq!(tags_under(&dom, ul), ["li", "li"]);
        let s = dom.find_first(tag::SCRIPT).unwrap();
        assert_eq!(tags_under(&dom, s), ["#if (a<b) {}"]);
    }

    #[test]
    fn stray_end_tags_and_attributes() {
        let dom = parse("<div class=\"A b\" ID=x data-x='1 &amp; 2'></span>t</div></div>u");
        let d = dom.find_first(tag::DIV).unwrap();
        assert_eq!(dom.attr(d, "class"), Some("A b"));
        assert_eq!(dom.attr(d, "id"), Some("x"));
        assert_eq!(dom.attr(d, "data-x"), Some("1 & 2"));
        assert_eq!(tags_under(&dom, d), ["#t"]);
        assert_eq!(dom.text_content(0, 100), "tu");
    }

    #[test]
    fn subtree_end_is_next_in_document_order() {
        let dom = parse("<div><p>a</p><p>b</p></div><p>c</p>");
        let d = dom.find_first(tag::DIV).unwrap();
        let end = dom.subtree_end(d);
        assert_eq!(dom.text_content(end, 10), "c");
    }
}
