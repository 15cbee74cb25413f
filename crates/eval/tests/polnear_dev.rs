//! Reads every PolNeAR dev annotation and scores gold against itself.

use onrecord_eval::{polnear_docs, read_doc, starts_with_quote, Scorer};
use std::path::Path;

fn dev_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/polnear/dev")
}

#[test]
fn dev_gold_reads_and_scores_perfectly_against_itself() {
    let docs = polnear_docs(&dev_dir()).unwrap();
    assert_eq!(docs.len(), 84);
    let mut scorer = Scorer::new();
    let (mut attributions, mut direct, mut no_content, mut no_source, mut no_cue) = (0, 0, 0, 0, 0);
    let (mut frags, mut discontinuous) = ([0usize; 3], [0usize; 3]);
    for (name, text_path, ann_path) in &docs {
        let (text, gold) = read_doc(text_path, ann_path).unwrap_or_else(|e| panic!("{name}: {e}"));
        for g in &gold {
            attributions += 1;
            direct += starts_with_quote(&text, &g.content) as usize;
            no_content += g.content.is_empty() as usize;
            no_source += g.source.is_empty() as usize;
            no_cue += g.cue.is_empty() as usize;
            for (i, spans) in [&g.source, &g.cue, &g.content].into_iter().enumerate() {
                frags[i] += spans.len();
                discontinuous[i] += (spans.len() > 1) as usize;
                for s in spans {
                    let t = s.text(&text);
                    assert!(!t.is_empty() && t.trim() == t, "{name}: bad fragment {s:?}");
                }
            }
        }
        let pred: Vec<_> = gold.iter().map(|g| g.to_attribution()).collect();
        scorer.add(&text, &gold, &pred);
    }
    let r = scorer.report();
    eprintln!(
        "PolNeAR dev: {} docs, {attributions} gold attributions, {direct} direct (content opens with a quote mark)",
        docs.len()
    );
    eprintln!("  without content {no_content}, without source {no_source}, without cue {no_cue}");
    for (i, role) in ["source", "cue", "content"].iter().enumerate() {
        eprintln!(
            "  {role}: {} fragments (before dedupe), {} attributions with several; {} distinct units",
            frags[i],
            discontinuous[i],
            r.exact.get(onrecord_core::Role::ALL[i]).tp
        );
    }
    eprintln!("{r}");
    for p in [
        &r.exact.source,
        &r.exact.cue,
        &r.exact.content,
        &r.token.source,
        &r.token.cue,
        &r.token.content,
        &r.end_to_end,
        &r.direct_end_to_end,
    ] {
        assert_eq!((p.fp, p.r#fn), (0, 0), "{r}");
        assert_eq!(p.f1, 1.0, "{r}");
    }
    assert_eq!(r.end_to_end.tp, attributions - no_content);
    assert_eq!(r.direct_end_to_end.tp, direct);
}

/// The train split too (840 documents; a few seconds in release mode).
#[test]
fn train_gold_reads_and_scores_perfectly_against_itself() {
    let docs = polnear_docs(&dev_dir().join("../train")).unwrap();
    let mut scorer = Scorer::new();
    for (name, text_path, ann_path) in &docs {
        let (text, gold) = read_doc(text_path, ann_path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let pred: Vec<_> = gold.iter().map(|g| g.to_attribution()).collect();
        scorer.add(&text, &gold, &pred);
    }
    let r = scorer.report();
    eprintln!("{r}");
    assert_eq!(r.docs, docs.len());
    assert_eq!(
        (r.end_to_end.f1, r.exact.content.f1, r.token.source.f1),
        (1.0, 1.0, 1.0)
    );
}
