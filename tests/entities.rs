//! Entities and identities end to end: the binary on the seeds and on small
//! fixtures, the hand-checked name variants, and the CoNLL dev floor.

mod common;
use common::*;
use onrecord_entities::identity::person_key;
use serde_json::Value;

fn entities_json(paths: &[&std::path::Path]) -> Vec<Value> {
    let mut args: Vec<std::ffi::OsString> = vec!["entities".into(), "--jsonl".into()];
    args.extend(paths.iter().map(|p| p.as_os_str().to_owned()));
    let r = run(&args);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    r.docs()
}

fn names(e: &Value) -> Vec<String> {
    let mut v = vec![str_of(e, &["name"]).to_string()];
    v.extend(
        e["aliases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_string()),
    );
    v
}

#[test]
fn ushakov_is_one_entity_across_both_seeds() {
    let ents = entities_json(&[&example(SEED_000), &example(SEED_004)]);
    let ushakov: Vec<&Value> = ents
        .iter()
        .filter(|e| names(e).iter().any(|n| n.contains("Ushakov")))
        .collect();
    assert_eq!(ushakov.len(), 1, "one Ushakov: {ushakov:?}");
    let u = ushakov[0];
    assert_eq!(u["name"], "Yuri Ushakov");
    assert!(names(u).contains(&"Yury Ushakov".to_string()), "{u}");
    assert_eq!(u["documents"], 2);
    assert_eq!(u["type"], "PERSON");
    let roles: Vec<&str> = u["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["title"].as_str().unwrap())
        .collect();
    assert!(roles.contains(&"Kremlin aide"), "{roles:?}");
}

#[test]
fn every_lavrov_statement_points_at_one_entity() {
    let r = run(&[
        "extract".as_ref(),
        example(SEED_000).as_os_str(),
        example(SEED_004).as_os_str(),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    let mut ids = std::collections::BTreeSet::new();
    let mut n = 0;
    for doc in r.docs() {
        for a in attributions(&doc) {
            let src = str_of(a, &["text", "source"]).to_lowercase();
            let speaker_name = a["speaker"]["name"].as_str().unwrap_or("");
            if src.contains("lavrov")
                || src.contains("foreign minister")
                || src.contains("top diplomat")
                || speaker_name == "Sergey Lavrov"
            {
                n += 1;
                ids.insert(
                    a["speaker"]["entity"]
                        .as_str()
                        .unwrap_or("<none>")
                        .to_string(),
                );
                assert_eq!(a["speaker"]["type"], "person", "{a}");
            }
        }
    }
    assert!(n >= 8, "only {n} Lavrov statements found");
    assert_eq!(ids.len(), 1, "Lavrov's statements point at {ids:?}");
    assert!(!ids.contains("<none>"));
}

#[test]
fn seed_names_get_the_right_type() {
    let ents = entities_json(&[&example(SEED_000), &example(SEED_004)]);
    let type_of = |name: &str| -> Vec<String> {
        ents.iter()
            .filter(|e| {
                names(e)
                    .iter()
                    .any(|n| n == name || n.ends_with(&format!(" {name}")))
            })
            .map(|e| str_of(e, &["type"]).to_string())
            .collect()
    };
    for (name, want) in [
        ("Putin", "PERSON"),
        ("Trump", "PERSON"),
        ("Zelensky", "PERSON"),
        ("Rubio", "PERSON"),
        ("Witkoff", "PERSON"),
        ("Kremlin", "ORG"),
        ("TASS", "ORG"),
        ("RIA Novosti", "ORG"),
        ("State Duma", "ORG"),
        ("Alaska", "LOC"),
        ("Anchorage", "LOC"),
        ("Moscow", "LOC"),
        ("Ukraine", "LOC"),
    ] {
        let got = type_of(name);
        assert!(
            got.contains(&want.to_string()),
            "{name}: want {want}, got {got:?}"
        );
    }
}

#[test]
fn roles_come_with_the_article_date() {
    let r = run(&["extract".as_ref(), example(SEED_004).as_os_str()]);
    let doc = &r.docs()[0];
    let ents = doc["entities"].as_array().unwrap();
    let role = |name: &str| -> Vec<(String, String)> {
        ents.iter()
            .filter(|e| e["name"] == name)
            .flat_map(|e| e["roles"].as_array().unwrap().iter())
            .map(|r| {
                (
                    str_of(r, &["title"]).to_string(),
                    str_of(r, &["date"]).to_string(),
                )
            })
            .collect()
    };
    assert!(role("Marco Rubio").contains(&("State Secretary".into(), "2026-02-11".into())));
    assert!(role("Steve Witkoff").contains(&("special envoy".into(), "2026-02-11".into())));
    assert!(role("Sergey Lavrov")
        .iter()
        .any(|(t, _)| t == "Foreign Minister"));
}

#[test]
fn group_sources_stay_text_with_a_type() {
    let r = run(&["extract".as_ref(), example(SEED_000).as_os_str()]);
    let doc = &r.docs()[0];
    // "both sides previously described the meeting as “constructive and
    // forward-looking.”"
    let both = attributions(doc)
        .iter()
        .find(|a| str_of(a, &["text", "content"]).contains("constructive and forward-looking"))
        .expect("the 'both sides' statement");
    assert!(
        str_of(both, &["speaker", "text"]).starts_with("both"),
        "{both}"
    );
    assert_eq!(both["speaker"]["type"], "group");
    assert!(both["speaker"]["entity"].is_null());
}

#[test]
fn a_shared_surname_stays_apart_and_lists_candidates() {
    let ents = entities_json(&[&fixture("clintons")]);
    let clintons: Vec<&Value> = ents
        .iter()
        .filter(|e| str_of(e, &["id"]).starts_with("per:clinton"))
        .collect();
    let full: Vec<&str> = clintons.iter().map(|e| str_of(e, &["name"])).collect();
    assert!(
        full.contains(&"Bill Clinton") && full.contains(&"Hillary Clinton"),
        "{full:?}"
    );
    // the second article says only "Clinton": not merged into either, but
    // both are named as candidates
    let bare = clintons
        .iter()
        .find(|e| e["id"] == "per:clinton")
        .unwrap_or_else(|| panic!("no bare-surname entity: {clintons:?}"));
    let cands = bare["candidates"].as_array().unwrap();
    assert_eq!(cands.len(), 2, "{bare}");
}

#[test]
fn hand_checked_name_variants() {
    let text = std::fs::read_to_string(fixture("name_variants.tsv")).unwrap();
    let mut checked = 0;
    let mut wrong = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 3, "bad line {line:?}");
        let same = person_key(f[1]) == person_key(f[2]);
        let want = match f[0] {
            "merge" => true,
            "apart" => false,
            v => panic!("bad verdict {v:?}"),
        };
        if same != want {
            wrong.push(format!(
                "{line} ({} / {})",
                person_key(f[1]),
                person_key(f[2])
            ));
        }
        checked += 1;
    }
    assert!(checked >= 25);
    assert!(wrong.is_empty(), "wrong verdicts:\n{}", wrong.join("\n"));
}

#[test]
fn conll_dev_f1_stays_above_floor_and_predictions_are_written() {
    let dev = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/conll2003/dev.txt"
    );
    let dir = tempfile::tempdir().unwrap();
    let pred = dir.path().join("dev.pred");
    let r = run(&[
        "eval".as_ref(),
        "conll".as_ref(),
        dev.as_ref(),
        "--write-predictions".as_ref(),
        pred.as_os_str(),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    let f1: f64 = r
        .stdout
        .lines()
        .find(|l| l.starts_with("overall"))
        .and_then(|l| l.split_whitespace().nth(3))
        .and_then(|x| x.parse().ok())
        .unwrap_or_else(|| panic!("no overall F1 in {}", r.stdout));
    // models/entities.card.md: 0.9164; the target is 0.90
    assert!(f1 >= 0.91, "CoNLL dev F1 {f1} fell below the floor");
    let input = std::fs::read_to_string(dev).unwrap();
    let output = std::fs::read_to_string(&pred).unwrap();
    let tokens_in = input
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("-DOCSTART-"))
        .count();
    let rows: Vec<&str> = output.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(rows.len(), tokens_in);
    assert!(rows.iter().all(|l| l.split(' ').count() == 5));
    assert!(rows.iter().any(|l| l.ends_with(" B-PER")));
}
