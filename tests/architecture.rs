//! The binary's modules import each other without circles (ARCHITECTURE.md):
//! every `crate::NAME` path in `src/*.rs` is an edge from the file's module
//! to `NAME`; the graph must be acyclic, and the shared leaf `cli` must
//! import nothing of the binary.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module → the binary's modules it names through `crate::`.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut modules = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        modules.insert(name, std::fs::read_to_string(&path).unwrap());
    }
    let known: BTreeSet<String> = modules.keys().cloned().collect();
    let mut graph = BTreeMap::new();
    for (name, text) in &modules {
        let mut deps = BTreeSet::new();
        for (i, _) in text.match_indices("crate::") {
            let rest = &text[i + "crate::".len()..];
            let names: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
                // `use crate::{a::X, b}`
                let end = group.find('}').unwrap_or(group.len());
                group[..end]
                    .split(',')
                    .map(|p| p.trim().split("::").next().unwrap_or(""))
                    .collect()
            } else {
                let end = rest
                    .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                vec![&rest[..end]]
            };
            for n in names {
                if n != name && known.contains(n) {
                    deps.insert(n.to_string());
                }
            }
        }
        graph.insert(name.clone(), deps);
    }
    graph
}

/// A circle through `start`, if any (depth-first).
fn circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        g: &BTreeMap<String, BTreeSet<String>>,
        n: &str,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == n) {
            let mut c = path[i..].to_vec();
            c.push(n.to_string());
            return Some(c);
        }
        if done.contains(n) {
            return None;
        }
        path.push(n.to_string());
        for d in g.get(n).into_iter().flatten() {
            if let Some(c) = visit(g, d, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(n.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for n in graph.keys() {
        if let Some(c) = visit(graph, n, &mut Vec::new(), &mut done) {
            return Some(c);
        }
    }
    None
}

#[test]
fn the_binarys_modules_import_each_other_without_circles() {
    let g = imports();
    assert!(g.len() > 10, "read the modules of src/: {g:?}");
    if let Some(c) = circle(&g) {
        panic!("an import circle: {}", c.join(" → "));
    }
}

#[test]
fn the_shared_leaf_imports_nothing_of_the_binary() {
    let g = imports();
    assert_eq!(
        g.get("cli").map(BTreeSet::len),
        Some(0),
        "{:?}",
        g.get("cli")
    );
}

#[test]
fn the_circle_finder_finds_a_circle() {
    let mut g = BTreeMap::new();
    g.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    g.insert("b".to_string(), BTreeSet::from(["c".to_string()]));
    g.insert("c".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(circle(&g).map(|c| c.len()), Some(4));
    g.insert("c".to_string(), BTreeSet::new());
    assert_eq!(circle(&g), None);
}
