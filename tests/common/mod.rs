//! Helpers shared by the integration tests: run the `onrecord` binary and
//! read its JSON-lines output.
#![allow(dead_code)]

pub mod http;

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The crate root (where `examples/` and `tests/` live).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    root().join("tests").join("fixtures").join(name)
}

pub fn example(name: &str) -> PathBuf {
    root().join("examples").join(name)
}

pub const SEED_000: &str = "000_e8348c9c7b4e2da3.txt";
pub const SEED_004: &str = "004_ada9b50bf52b2923.txt";

/// What one run of the binary gave.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Every stdout line parsed as JSON (panics with the line if one is not).
    pub fn docs(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .enumerate()
            .map(|(i, l)| {
                serde_json::from_str(l).unwrap_or_else(|e| {
                    panic!(
                        "stdout line {} is not valid JSON ({e}): {l}\n{}",
                        i + 1,
                        self.describe()
                    )
                })
            })
            .collect()
    }

    pub fn stderr_lines(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| !l.trim().is_empty())
            .collect()
    }

    pub fn describe(&self) -> String {
        format!(
            "exit code: {:?}\n--- stderr ---\n{}\n--- stdout ---\n{}",
            self.code,
            self.stderr,
            truncate(&self.stdout, 4000)
        )
    }

    /// No panic, whatever the input.
    pub fn assert_no_panic(&self) {
        assert!(
            !self.stderr.contains("panicked"),
            "the binary panicked\n{}",
            self.describe()
        );
        assert!(
            self.code.is_some(),
            "the binary was killed by a signal\n{}",
            self.describe()
        );
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!(
            "{}… ({} more chars)",
            s.chars().take(n).collect::<String>(),
            s.chars().count() - n
        )
    }
}

/// Runs `onrecord ARGS...` in `dir` (the crate root unless given), feeding
/// `stdin` if given.
pub fn run_in(dir: &Path, args: &[&std::ffi::OsStr], stdin: Option<&[u8]>) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_onrecord"));
    cmd.args(args)
        .current_dir(dir)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("could not start the onrecord binary");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        let input = input.to_vec();
        // write from a thread so a full stdout pipe cannot deadlock us
        std::thread::spawn(move || {
            let _ = pipe.write_all(&input);
        });
    }
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().expect("waiting for onrecord");
    let run = Run {
        code: status.code(),
        stdout: String::from_utf8(stdout).expect("stdout is not UTF-8"),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    };
    run.assert_no_panic();
    run
}

pub fn run<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Run {
    let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_ref()).collect();
    run_in(&root(), &args, None)
}

pub fn run_stdin<S: AsRef<std::ffi::OsStr>>(args: &[S], stdin: &[u8]) -> Run {
    let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_ref()).collect();
    run_in(&root(), &args, Some(stdin))
}

/// `onrecord extract PATH` on one path; must succeed with exactly one document.
pub fn extract_one(path: &Path) -> Value {
    let r = run(&[std::ffi::OsStr::new("extract"), path.as_os_str()]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    let mut docs = r.docs();
    assert_eq!(docs.len(), 1, "{}", r.describe());
    docs.remove(0)
}

pub fn attributions(doc: &Value) -> &Vec<Value> {
    doc["attributions"]
        .as_array()
        .expect("`attributions` is an array")
}

pub fn str_of<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    let mut v = v;
    for p in path {
        v = &v[*p];
    }
    v.as_str().unwrap_or("")
}

/// One line per attribution, for failure messages.
pub fn summarize(doc: &Value) -> String {
    let mut s = format!("attributions found in {}:\n", doc["doc"]);
    for (i, a) in attributions(doc).iter().enumerate() {
        let speaker = match &a["speaker"] {
            Value::Null => "(no speaker)".to_string(),
            sp => format!("{} [as {:?}]", str_of(sp, &["name"]), str_of(sp, &["text"])),
        };
        s.push_str(&format!(
            "  {:>2}. {:<8} {} — {:?}\n      content: {}\n",
            i + 1,
            a["kind"].as_str().unwrap_or("?"),
            speaker,
            str_of(a, &["text", "cue"]),
            str_of(a, &["text", "content"]),
        ));
    }
    s
}
