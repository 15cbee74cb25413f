//! The Python package's own tests (python/tests, pytest): the API, CLI
//! parity on the seeds and PolNeAR dev, Arrow, pandas, DuckDB and the Spark
//! job in local[2] mode, against this build's `onrecord` binary.
//!
//! They need the package installed (`pip install ./python`, after any
//! change to the Rust code) with pytest. CI installs it, with pyspark, and
//! sets ONRECORD_REQUIRE_PYTHON=1, so that there a missing piece fails
//! instead of skipping.

mod common;

use common::root;
use std::process::Command;

#[test]
fn the_python_package_passes_its_tests() {
    let have = Command::new("python3")
        .args(["-c", "import onrecord, pytest"])
        .current_dir(std::env::temp_dir())
        .output()
        .is_ok_and(|o| o.status.success());
    let required = std::env::var_os("ONRECORD_REQUIRE_PYTHON").is_some();
    if !have {
        assert!(
            !required,
            "the onrecord Python package or pytest is not installed (pip install ./python pytest)"
        );
        eprintln!("the onrecord Python package is not installed: skipped (pip install ./python)");
        return;
    }
    let mut cmd = Command::new("python3");
    cmd.args([
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "python/tests",
    ])
    .current_dir(root())
    .env("ONRECORD_BIN", env!("CARGO_BIN_EXE_onrecord"));
    if required {
        for v in [
            "ONRECORD_REQUIRE_CLI",
            "ONRECORD_REQUIRE_SPARK",
            "ONRECORD_REQUIRE_DATA",
        ] {
            cmd.env(v, "1");
        }
    }
    let out = cmd.output().expect("running pytest");
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "pytest failed:\n{text}");
    // nothing skipped where CI requires every piece
    if required {
        assert!(!text.contains(" skipped"), "pytest skipped tests:\n{text}");
    }
    eprintln!(
        "{}",
        text.lines()
            .rev()
            .find(|l| l.contains("passed"))
            .unwrap_or("")
    );
}
