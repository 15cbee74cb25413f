//! `onrecord`: the command-line edge of the pipeline.
//!
//! Wires the stages together (ingest → text → attribution → output) and
//! owns process concerns: arguments, threads, exit codes, error reporting.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod args;
mod chunks;
mod cli;
mod clusters;
mod export_parquet;
mod extract;
mod html_eval;
#[cfg(feature = "parquet")]
mod link;
#[cfg(not(feature = "parquet"))]
mod link {
    //! `onrecord link` needs the `parquet` feature (on by default).
    pub fn run(
        _dir: &std::path::Path,
        _db: &std::path::Path,
        _summary: crate::cli::Summary,
    ) -> anyhow::Result<std::process::ExitCode> {
        anyhow::bail!(
            "this onrecord was built without Parquet support: rebuild with the default features"
        )
    }
}
mod ner;
mod query;
mod read;
mod record;
mod serve;
mod threads;
mod train;
mod watch;
mod writer;

use anyhow::Result;
use clap::{Parser, Subcommand};
use cli::{exit, print_out, set_threads, Fail, Format, InputArgs};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "onrecord",
    version,
    about = "Who said what, about what, and when: attributions from news articles.",
    after_help = "Exit codes (every command): 0 done; 1 not found or nothing matched; \
                  2 a usage or input error, or any other failure. Output closed early \
                  (onrecord ... | head) ends quietly with 0.\n\
                  JSON: --json prints one JSON document (an array for lists, an object \
                  otherwise); --jsonl prints one JSON object a line (streams: extract, \
                  read, export, entities, threads)."
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Extract attributions from articles: files, folders, web pages, WARC, CSV, JSONL (compressed or not), or - for stdin.
    Extract {
        /// Files or folders (read recursively) of any input kind: .txt (with
        /// metadata.tsv beside them), .jsonl, .json, .csv/.tsv, .html, .warc,
        /// each optionally .gz/.zst/.bz2; - for standard input.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output: jsonl (one JSON object per document, one a line) or pretty (a readable view for people, with events and threads).
        #[arg(long, value_enum, default_value = "jsonl")]
        format: Format,
        /// Worker threads (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
        /// Use this attribution model instead of the built-in one.
        #[arg(long)]
        model: Option<PathBuf>,
        /// Use this entity model instead of the built-in one.
        #[arg(long)]
        ner_model: Option<PathBuf>,
        /// Skip entity tagging (no `entities`, no `speaker.entity`).
        #[arg(long)]
        no_entities: bool,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Print the documents as they are read, before extraction: the text
    /// and metadata each file, web page, WARC record or CSV row gives (JSON lines).
    Read {
        /// Files or folders (read recursively) of any input kind: .txt (with
        /// metadata.tsv beside them), .jsonl, .json, .csv/.tsv, .html, .warc,
        /// each optionally .gz/.zst/.bz2; - for standard input.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        input: InputArgs,
    },
    /// List the people, organisations and places named in articles, merged
    /// across documents: one line per identity with all its names and roles.
    Entities {
        /// Files or folders (read recursively) of any input kind: .txt (with
        /// metadata.tsv beside them), .jsonl, .json, .csv/.tsv, .html, .warc,
        /// each optionally .gz/.zst/.bz2; - for standard input.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Print one JSON array instead of a table.
        #[arg(long)]
        json: bool,
        /// Print one JSON object a line instead of a table.
        #[arg(long, conflicts_with = "json")]
        jsonl: bool,
        /// Only this type: PERSON, ORG, LOC or MISC.
        #[arg(long = "type")]
        kind: Option<String>,
        /// Worker threads (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Score extraction against an annotated corpus.
    Eval {
        #[command(subcommand)]
        corpus: EvalCorpus,
    },
    /// Train a model from the annotated data in ../shared/data.
    Train {
        #[command(subcommand)]
        what: TrainWhat,
    },
    #[command(flatten)]
    Record(args::RecordCmd),
    /// Poll news feeds (RSS, Atom, JSON Feed) now and every --every: fetch
    /// each new item's page, keep it raw in the record and ingest it.
    Watch {
        /// Feed URLs, or files with one feed URL a line.
        #[arg(required = true)]
        feeds: Vec<PathBuf>,
        /// How often to poll (`15m`, `1h`, `90s`, `2h30m`).
        #[arg(long, default_value = "15m")]
        every: onrecord_feeds::Schedule,
        /// Poll once and exit (exit code 2 if anything failed).
        #[arg(long)]
        once: bool,
        #[command(flatten)]
        db: args::DbArg,
        #[command(flatten)]
        fetch: args::FetchArgs,
        /// Worker threads for extraction (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
        /// No summary line per poll (errors are still printed).
        #[arg(long, short)]
        quiet: bool,
    },
    /// Serve the record read-only: web pages and a JSON API (docs/serve.md).
    Serve {
        #[command(flatten)]
        db: args::DbArg,
        /// Where to listen (HOST:PORT; port 0 picks a free one).
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        /// Accept POST /api/articles (extract and store an article); needs
        /// the token in ONRECORD_TOKEN, which every request must bring.
        #[arg(long)]
        allow_ingest: bool,
        /// Seconds a client may take to send a request's headers, and a
        /// kept-alive connection may stay idle, before it is closed.
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
        header_timeout: u64,
    },
}

#[derive(Subcommand)]
enum EvalCorpus {
    /// Web pages: main text scored against evaldata.json as trafilatura
    /// scores it, pages per second, metadata shares (docs/html.md).
    Html {
        /// The folder of web pages with their evaldata.json key.
        #[arg(default_value = "../shared/data/html")]
        dir: PathBuf,
        /// Print one JSON object instead of a report.
        #[arg(long)]
        json: bool,
        /// Worker threads (default: all cores).
        #[arg(long, default_value_t = 1)]
        threads: usize,
        /// Write one JSON line per page: file, text, title, date, authors, …
        #[arg(long)]
        dump: Option<PathBuf>,
        /// Only the pages whose md5(file name) is even, or odd.
        #[arg(long, value_parser = ["even", "odd"])]
        half: Option<String>,
    },
    /// The hand-labelled stance set: runs extraction on its articles and
    /// scores the stance of each labelled statement (docs/stance.md).
    Stance {
        /// The hand-labelled stance set (TSV).
        #[arg(default_value = "tests/fixtures/stance.tsv")]
        file: PathBuf,
        /// Where the PolNeAR articles are.
        #[arg(long, default_value = "../shared/data/polnear/dev/text")]
        polnear: PathBuf,
        /// Where the seed articles are.
        #[arg(long, default_value = "examples")]
        seeds: PathBuf,
        /// Print one JSON object instead of a report.
        #[arg(long)]
        json: bool,
        /// Score the stance rules alone (not the trained classifier).
        #[arg(long)]
        rules: bool,
    },
    /// CoNLL-2003's chunk column: tags FILE and scores phrase chunks (exact span and kind).
    Chunks {
        /// A CoNLL-2003 file (word, POS, chunk and entity columns).
        #[arg(default_value = "../shared/data/conll2003/dev.txt")]
        file: PathBuf,
        /// Use this model instead of the built-in one.
        #[arg(long)]
        model: Option<PathBuf>,
    },
    /// CoNLL-2003: tags FILE and scores entities (exact span and type).
    Conll {
        /// A CoNLL-2003 file (word, POS, chunk and entity columns).
        file: PathBuf,
        /// Write FILE back with one more column, the predicted IOB2 tag.
        #[arg(long)]
        write_predictions: Option<PathBuf>,
        /// Use this model instead of the built-in one.
        #[arg(long)]
        model: Option<PathBuf>,
    },
    /// PolNeAR: runs extraction on DIR/text and scores against DIR/attributions.
    Polnear {
        /// A PolNeAR split: DIR/text and DIR/attributions.
        dir: PathBuf,
        /// Print one JSON object instead of a report.
        #[arg(long)]
        json: bool,
        /// Use this model instead of the built-in one.
        #[arg(long)]
        model: Option<PathBuf>,
        /// Score the gold labels through linking (the ceiling of tokenization + linking).
        #[arg(long)]
        oracle: bool,
        /// Replace the model's decoding bias (source,cue,content), to choose
        /// one on held-out training documents.
        #[arg(long, value_delimiter = ',', allow_negative_numbers = true)]
        bias: Option<Vec<f32>>,
        /// Worker threads (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
    },
}

#[derive(Subcommand)]
enum TrainWhat {
    /// The stance classifier, from hand-labelled PolNeAR train statements;
    /// scored on the dev + seeds set.
    Stance {
        /// The training data.
        #[arg(long, default_value = "tests/fixtures/stance_train.tsv")]
        train: PathBuf,
        /// The dev data the model is scored on (its scores go in the model card).
        #[arg(long, default_value = "tests/fixtures/stance.tsv")]
        dev: PathBuf,
        /// Where the PolNeAR articles are.
        #[arg(long, default_value = "../shared/data/polnear/dev/text")]
        polnear: PathBuf,
        /// Where the seed articles are.
        #[arg(long, default_value = "examples")]
        seeds: PathBuf,
        /// Where to write the model (its card goes beside it, *.card.md).
        #[arg(long, default_value = "models/stance.bin")]
        out: PathBuf,
        /// Training passes over the data.
        #[arg(long, default_value_t = 10)]
        epochs: usize,
        /// Random seed: the same seed and data give the same model.
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Word weights for threads (inverse document frequency), from PolNeAR train's texts.
    Idf {
        /// The training data.
        #[arg(long, default_value = "../shared/data/polnear/train/text")]
        train: PathBuf,
        /// Where to write the model (its card goes beside it, *.card.md).
        #[arg(long, default_value = "models/idf.bin")]
        out: PathBuf,
    },
    /// The phrase chunk tagger (NP, VP, PP, SBAR, ...), from CoNLL-2003 train's
    /// chunk column; scored on CoNLL-2003 dev. The attribution model uses its
    /// labels as features: retrain attribution after it.
    Chunks {
        /// The training data.
        #[arg(long, default_value = "../shared/data/conll2003/train.txt")]
        train: PathBuf,
        /// The dev data the model is scored on (its scores go in the model card).
        #[arg(long, default_value = "../shared/data/conll2003/dev.txt")]
        dev: PathBuf,
        /// Where to write the model (its card goes beside it, *.card.md).
        #[arg(long, default_value = "models/chunks.ortag")]
        out: PathBuf,
        /// Training passes over the data.
        #[arg(long, default_value_t = 10)]
        epochs: usize,
        /// Feature hashing: 2^BITS weight buckets.
        #[arg(long, default_value_t = 18)]
        bits: u32,
        /// Random seed: the same seed and data give the same model.
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Word clusters, from the words of PolNeAR train's texts and CoNLL-2003
    /// train (no labels used). The attribution model uses them as features:
    /// retrain attribution after them.
    Clusters {
        /// Where the PolNeAR articles are.
        #[arg(long, default_value = "../shared/data/polnear/train/text")]
        polnear: PathBuf,
        /// CoNLL-2003 train (only its words are used).
        #[arg(long, default_value = "../shared/data/conll2003/train.txt")]
        conll: PathBuf,
        /// Where to write the model (its card goes beside it, *.card.md).
        #[arg(long, default_value = "models/clusters.bin")]
        out: PathBuf,
        /// Random seed: the same seed and data give the same model.
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// The PERSON/ORG/LOC/MISC tagger, from CoNLL-2003 train; scored on CoNLL-2003 dev.
    Ner {
        /// The training data.
        #[arg(long, default_value = "../shared/data/conll2003/train.txt")]
        train: PathBuf,
        /// The dev data the model is scored on (its scores go in the model card).
        #[arg(long, default_value = "../shared/data/conll2003/dev.txt")]
        dev: PathBuf,
        /// Where to write the model (its card goes beside it, *.card.md).
        #[arg(long, default_value = "models/entities.ortag")]
        out: PathBuf,
        /// Training passes over the data.
        #[arg(long, default_value_t = 15)]
        epochs: usize,
        /// Feature hashing: 2^BITS weight buckets.
        #[arg(long, default_value_t = 18)]
        bits: u32,
        /// Random seed: the same seed and data give the same model.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Cross-validation folds for pass 2's inputs (1: no pass 2).
        #[arg(long, default_value_t = 4)]
        folds: usize,
    },
    /// The source/cue/content tagger, from PolNeAR train; scored on PolNeAR dev.
    Attribution {
        /// The training data.
        #[arg(long, default_value = "../shared/data/polnear/train")]
        train: PathBuf,
        /// The dev data the model is scored on (its scores go in the model card).
        #[arg(long, default_value = "../shared/data/polnear/dev")]
        dev: PathBuf,
        /// Where to write the model (its card goes beside it, *.card.md).
        #[arg(long, default_value = "models/attribution.ortag")]
        out: PathBuf,
        /// Training passes over the data.
        #[arg(long, default_value_t = 16)]
        epochs: usize,
        /// Feature hashing: 2^BITS weight buckets.
        #[arg(long, default_value_t = 20)]
        bits: u32,
        /// Random seed: the same seed and data give the same model.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Worker threads (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
        /// Hold out every K-th training document, train on the rest and
        /// score on those (for choosing settings without dev); dev and the
        /// model card are left alone.
        #[arg(long)]
        holdout: Option<usize>,
        /// With --holdout K: which of the K folds to hold out (documents
        /// whose index modulo K is this).
        #[arg(long, default_value_t = 0, requires = "holdout")]
        fold: usize,
        /// Tag set: 7 (BIO), 8 (BIO + L-content) or 10 (BIO + L for every role).
        #[arg(long, default_value_t = onrecord_attribution::labels::DEFAULT_N_LABELS)]
        labels: usize,
        /// Decoding bias added to the final pass's scores of the source, cue
        /// and content labels (more recall for less precision), stored in the model.
        #[arg(
            long,
            default_value = "50,-60,30",
            value_delimiter = ',',
            allow_negative_numbers = true
        )]
        bias: Vec<f32>,
        /// Training margin (cost-augmented decoding): while training, every
        /// wrong label's score is raised by this before decoding, so updates
        /// go on until the gold labels win by that much (0: plain perceptron).
        #[arg(long, default_value_t = 200.0)]
        margin: f32,
        /// Drop weight buckets whose quantised weights are all at most this
        /// in absolute value (0: keep all non-zero buckets): a smaller model.
        #[arg(long, default_value_t = 1)]
        prune: u8,
    },
}

fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    match cli.cmd {
        Cmd::Extract {
            paths,
            format,
            threads,
            model,
            ner_model,
            no_entities,
            input,
        } => {
            set_threads(threads);
            let p = onrecord_pipeline::Pipeline::builder()
                .model(model.as_deref())
                .ner_model(ner_model.as_deref())
                .entities(!no_entities)
                .load()?;
            extract::run(&p, &paths, &input.options(), format)
        }
        Cmd::Read { paths, input } => read::run(&paths, &input.options()),
        Cmd::Entities {
            paths,
            json,
            jsonl,
            kind,
            threads,
            input,
        } => {
            set_threads(threads);
            let p = onrecord_pipeline::Pipeline::load()?;
            extract::entities(
                &p,
                &paths,
                &input.options(),
                cli::ListFormat::new(json, jsonl),
                kind.as_deref(),
            )
        }
        Cmd::Eval {
            corpus:
                EvalCorpus::Polnear {
                    dir,
                    json,
                    model,
                    threads,
                    oracle,
                    bias,
                },
        } => {
            set_threads(threads);
            let mut ex = onrecord_pipeline::models::attribution(model.as_deref())?;
            if let Some(b) = bias {
                anyhow::ensure!(
                    b.len() == 3,
                    "--bias takes three numbers: source,cue,content"
                );
                ex.set_role_bias([b[0], b[1], b[2]]);
            }
            let report = train::evaluate(&ex, &dir, oracle)?;
            if json {
                print_out(&serde_json::to_string_pretty(&report)?)?;
            } else {
                print_out(&report)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Eval {
            corpus:
                EvalCorpus::Html {
                    dir,
                    json,
                    threads,
                    dump,
                    half,
                },
        } => {
            let half = half.map(|h| {
                if h == "even" {
                    onrecord_eval::html::Half::Even
                } else {
                    onrecord_eval::html::Half::Odd
                }
            });
            let report = html_eval::run(&dir, half, threads, dump.as_deref())?;
            if json {
                print_out(&serde_json::to_string_pretty(&report)?)?;
            } else {
                print_out(&report)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Eval {
            corpus: EvalCorpus::Chunks { file, model },
        } => {
            let m = chunks::load_model(model.as_deref())?;
            print_out(&chunks::eval(&m, &file)?)?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Eval {
            corpus:
                EvalCorpus::Conll {
                    file,
                    write_predictions,
                    model,
                },
        } => {
            let m = ner::load_model(model.as_deref())?;
            let score = ner::eval(&m, &file, write_predictions.as_deref())?;
            print_out(&score)?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Eval {
            corpus:
                EvalCorpus::Stance {
                    file,
                    polnear,
                    seeds,
                    json,
                    rules,
                },
        } => {
            let p = onrecord_pipeline::Pipeline::builder()
                .stance_model(!rules)
                .load()?;
            threads::eval_stance(&p, &file, &[seeds, polnear], json)?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Train {
            what:
                TrainWhat::Stance {
                    train,
                    dev,
                    polnear,
                    seeds,
                    out,
                    epochs,
                    seed,
                },
        } => {
            threads::train_stance(&train, &dev, &[seeds, polnear], &out, epochs, seed)?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Train {
            what:
                TrainWhat::Chunks {
                    train,
                    dev,
                    out,
                    epochs,
                    bits,
                    seed,
                },
        } => {
            chunks::train(&train, &dev, &out, epochs, bits, seed)?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Train {
            what:
                TrainWhat::Clusters {
                    polnear,
                    conll,
                    out,
                    seed,
                },
        } => {
            clusters::train(&polnear, &conll, &out, seed)?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Train {
            what: TrainWhat::Idf { train, out },
        } => {
            threads::train_idf(&train, &out)?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Train {
            what:
                TrainWhat::Ner {
                    train,
                    dev,
                    out,
                    epochs,
                    bits,
                    seed,
                    folds,
                },
        } => {
            ner::train(&train, &dev, &out, epochs, bits, seed, folds)?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Train {
            what:
                TrainWhat::Attribution {
                    train,
                    dev,
                    out,
                    epochs,
                    bits,
                    seed,
                    threads,
                    holdout,
                    fold,
                    labels,
                    bias,
                    margin,
                    prune,
                },
        } => {
            set_threads(threads);
            anyhow::ensure!(
                bias.len() == 3,
                "--bias takes three numbers: source,cue,content"
            );
            let opts = train::TrainOptions {
                epochs,
                bits,
                seed,
                holdout: holdout.map(|k| (k, fold)),
                n_labels: labels,
                bias: [bias[0], bias[1], bias[2]],
                margin,
                prune,
            };
            train::train_attribution(&train, &dev, &out, &opts)?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Record(cmd) => record::run(cmd),
        Cmd::Watch {
            feeds,
            every,
            once,
            db,
            fetch,
            threads,
            quiet,
        } => {
            set_threads(threads);
            let pipeline = onrecord_pipeline::models::pipeline_id(None)?;
            let ex = onrecord_pipeline::Pipeline::load()?;
            watch::watch(&ex, &pipeline, &feeds, &db.db, every, once, &fetch, quiet)
        }
        Cmd::Serve {
            db,
            addr,
            allow_ingest,
            header_timeout,
        } => serve::run(
            db.db,
            addr,
            allow_ingest,
            std::time::Duration::from_secs(header_timeout),
        ),
    }
}

/// Whether `e` is (or wraps) a write to a closed pipe.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|j| j.io_error_kind() == Some(BrokenPipe))
    })
}

fn main() -> ExitCode {
    // commands print through `print_out` (an error on a closed pipe); the
    // one `println!` left, the ONRECORD_DUMP_SPANS debug dump of `eval`,
    // would panic there: end quietly instead, as for the errors below
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.contains("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(exit::OK as i32);
        }
        default_hook(info)
    }));
    match run() {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::from(exit::OK),
        Err(e) => match e.downcast_ref::<Fail>() {
            Some(Fail::NotFound(m)) => {
                eprintln!("onrecord: {m}");
                ExitCode::from(exit::NOT_FOUND)
            }
            _ => {
                eprintln!("onrecord: error: {e:#}");
                ExitCode::from(exit::ERROR)
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// Every command, positional argument and option says what it is for
    /// in `--help`.
    #[test]
    fn every_argument_has_help_text() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            let here = format!("{path} {}", cmd.get_name());
            if cmd.get_about().is_none() && !path.is_empty() {
                missing.push(format!("{here}: the command"));
            }
            for a in cmd.get_arguments() {
                let id = a.get_id().as_str();
                if id == "help" || id == "version" {
                    continue;
                }
                if a.get_help().is_none() && a.get_long_help().is_none() {
                    missing.push(format!("{here}: {id}"));
                }
            }
            for sub in cmd.get_subcommands() {
                walk(sub, &here, missing);
            }
        }
        let mut missing = Vec::new();
        walk(&super::Cli::command(), "", &mut missing);
        assert!(missing.is_empty(), "no help text:\n{}", missing.join("\n"));
    }
}
