//! README.md's example outputs are what the program prints now
//! (`scripts/examples.sh` rewrites them; this test says when to rerun it).

mod common;
use common::*;

#[test]
fn readme_thread_example_is_what_the_program_prints() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let r = run(&[
        "ingest".as_ref(),
        "-q".as_ref(),
        "--db".as_ref(),
        db.as_os_str(),
        root().join("examples").as_os_str(),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    let r = run(&["threads".as_ref(), "--db".as_ref(), db.as_os_str()]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    let printed: String = r.stdout.lines().map(|l| format!("# {l}\n")).collect();
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme
        .find("<!-- example: threads")
        .expect("README.md has a threads example block");
    let block = &readme[start..];
    let block = &block[..block.find("<!-- /example -->").expect("the block ends")];
    assert!(
        block.contains(&printed),
        "README.md's threads example is stale: run scripts/examples.sh\n\
         --- README ---\n{block}\n--- printed ---\n{printed}"
    );
}
