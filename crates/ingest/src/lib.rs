//! Reads articles from files, directories, stdin and JSONL into Documents; separates boilerplate from prose.
