//! Accuracy floors on PolNeAR dev (deterministic: the model is embedded).
//! Floors sit just under the scores in models/attribution.card.md, so a change
//! that makes extraction worse fails here.

use std::process::Command;

#[test]
fn polnear_dev_scores_stay_above_floors() {
    let dev = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/polnear/dev");
    let out = Command::new(env!("CARGO_BIN_EXE_onrecord"))
        .args(["eval", "polnear", dev, "--json"])
        .output()
        .expect("run onrecord eval");
    assert!(
        out.status.success(),
        "eval failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("eval --json prints JSON");
    let f1 = |path: &[&str]| -> f64 {
        let mut v = &r;
        for p in path {
            v = &v[*p];
        }
        v["f1"]
            .as_f64()
            .unwrap_or_else(|| panic!("no f1 at {path:?} in {r}"))
    };
    let checks = [
        (vec!["exact", "source"], 0.725),
        (vec!["exact", "cue"], 0.675),
        (vec!["exact", "content"], 0.595),
        (vec!["end_to_end"], 0.715),
        (vec!["direct_end_to_end"], 0.85),
    ];
    for (path, floor) in checks {
        let got = f1(&path);
        assert!(
            got >= floor,
            "{path:?}: F1 {got:.3} fell below the floor {floor}"
        );
    }
}
