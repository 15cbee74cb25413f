//! Tuning aids for the extractor (not part of the tool).
//!
//! explain PAGE.html SNIPPET...     why each snippet is missing from the main text (or "kept")
//! explain --dump DATA_DIR OUT.jsonl  the main text of every page of DATA_DIR/evaldata.json,
//!                                    one {"file", "text", "title", "date", "authors",
//!                                    "site_name"} line each (score it with any scorer)

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--dump") && args.len() == 3 {
        dump(&args[1], &args[2]);
        return;
    }
    let Some((page, snippets)) = args.split_first() else {
        eprintln!("usage: explain PAGE.html SNIPPET... | explain --dump DATA_DIR OUT.jsonl");
        std::process::exit(2);
    };
    let bytes = read(page);
    let snips: Vec<&str> = snippets.iter().map(String::as_str).collect();
    let reasons = onrecord_html::explain(&bytes, &onrecord_html::Hints::default(), &snips);
    let n = snips.len();
    for (s, r) in snips.iter().zip(&reasons) {
        println!("{r}\t{s}");
    }
    for r in reasons.iter().skip(n) {
        println!("  {r}");
    }
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1)
    })
}

fn dump(dir: &str, out: &str) {
    let key: serde_json::Value =
        serde_json::from_slice(&read(&format!("{dir}/evaldata.json"))).unwrap_or_default();
    let mut lines = String::new();
    let start = std::time::Instant::now();
    let mut n = 0;
    if let Some(obj) = key.as_object() {
        for (url, item) in obj {
            let Some(file) = item.get("file").and_then(|f| f.as_str()) else {
                continue;
            };
            let bytes = read(&format!("{dir}/pages/{file}"));
            let hints = onrecord_html::Hints {
                url: Some(url),
                ..Default::default()
            };
            let page = onrecord_html::extract(&bytes, &hints).ok();
            n += 1;
            let row = match page {
                Some(p) => serde_json::json!({"file": file, "text": p.text, "title": p.title,
                    "date": p.date, "authors": p.authors, "site_name": p.site_name}),
                None => serde_json::json!({"file": file, "text": null}),
            };
            lines.push_str(&row.to_string());
            lines.push('\n');
        }
    }
    let s = start.elapsed().as_secs_f64();
    eprintln!("{n} pages, {s:.2} s, {:.0} pages/s", n as f64 / s);
    if let Err(e) = std::fs::write(out, lines) {
        eprintln!("{out}: {e}");
        std::process::exit(1);
    }
}
