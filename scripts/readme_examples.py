"""Rewrites README.md's threads example block from a fresh `onrecord threads`.

usage: python3 scripts/readme_examples.py README.md THREADS_OUTPUT (from scripts/examples.sh)
"""
import re
import sys

readme, threads = sys.argv[1], sys.argv[2]
s = open(readme, encoding="utf-8").read()
out = "".join("# " + line for line in open(threads, encoding="utf-8"))
block = "```sh\nonrecord ingest examples/ && onrecord threads\n" + out + "```\n"
s, n = re.subn(
    r"(<!-- example: threads [^\n]*-->\n).*?(<!-- /example -->)",
    lambda m: m.group(1) + block + m.group(2),
    s,
    flags=re.S,
)
assert n == 1, "README.md has no threads example block"
open(readme, "w", encoding="utf-8").write(s)
