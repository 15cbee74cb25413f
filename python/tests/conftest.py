"""Shared fixtures: the repository, the CLI binary beside the package, and
the data in ../shared (PolNeAR dev)."""

import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
POLNEAR_DEV = ROOT.parent / "shared" / "data" / "polnear" / "dev" / "text"
SEEDS = sorted((ROOT / "examples").glob("*.txt"))


def cli_path():
    p = os.environ.get("ONRECORD_BIN") or str(ROOT / "target" / "release" / "onrecord")
    return p if os.path.exists(p) else None


@pytest.fixture(scope="session")
def cli():
    """The `onrecord` binary (ONRECORD_BIN, else target/release/onrecord):
    required where CI says so, else the tests that compare with it skip."""
    p = cli_path()
    if p is None:
        if os.environ.get("ONRECORD_REQUIRE_CLI"):
            pytest.fail("the onrecord binary is missing: cargo build --release")
        pytest.skip("the onrecord binary is not built (cargo build --release)")
    return p


def records(paths, with_date=False):
    """One JSONL record per text file: id, text (and a date for some)."""
    out = []
    for i, p in enumerate(paths):
        r = {"id": p.stem, "text": p.read_text(encoding="utf-8")}
        if with_date:
            r["date"] = f"2016-{1 + i % 12:02d}-{1 + i % 28:02d}"
        out.append(r)
    return out


def polnear_dev(with_date=False):
    if not POLNEAR_DEV.is_dir():
        if os.environ.get("ONRECORD_REQUIRE_DATA"):
            pytest.fail(f"PolNeAR dev is missing: {POLNEAR_DEV}")
        pytest.skip(f"PolNeAR dev is not here: {POLNEAR_DEV}")
    return records(sorted(POLNEAR_DEV.glob("*.txt")), with_date)


def write_jsonl(path, recs):
    with open(path, "w", encoding="utf-8") as f:
        for r in recs:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


def run_cli(cli, *args, **kw):
    return subprocess.run([cli, *map(str, args)], capture_output=True, text=True, check=False, **kw)
