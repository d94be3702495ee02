#!/usr/bin/env python3
"""Regenerates the option reference of docs/cli.md (between the markers <!-- options:begin -->
and <!-- options:end -->) from the CLI's own option tables, printed by `entente help --markdown`;
the rest of the page stays hand-written. With --check, changes nothing and exits 1 when the page
is out of date (run by the test suite and by .ci/run), showing the first differences.
    gen_cli_docs.py [--check] [--page FILE.md] path/to/entente
(--page: another page with the markers, for the test that the check catches a stale one)"""
import difflib
import os
import subprocess
import sys

BEGIN, END = "<!-- options:begin -->", "<!-- options:end -->"

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
argv = sys.argv[1:]
path = os.path.join(root, "docs", "cli.md")
if "--page" in argv:
    i = argv.index("--page")
    if i + 1 >= len(argv):
        sys.exit(__doc__)
    path = argv[i + 1]
    del argv[i:i + 2]
args = [a for a in argv if a != "--check"]
if len(args) != 1:
    sys.exit(__doc__)
exe = args[0]
p = subprocess.run([exe, "help", "--markdown"], capture_output=True, text=True, timeout=60)
if p.returncode != 0 or not p.stdout.strip():
    sys.exit(f"gen_cli_docs: '{exe} help --markdown' failed (exit {p.returncode}): {p.stderr.strip()}")
generated = p.stdout.rstrip("\n") + "\n"

page = open(path, encoding="utf-8").read()
b, e = page.find(BEGIN), page.find(END)
if b < 0 or e < b:
    sys.exit(f"gen_cli_docs: {path} has no {BEGIN} ... {END} block")
new = page[: b + len(BEGIN)] + "\n" + generated + page[e:]
if new == page:
    sys.exit(0)
if "--check" in sys.argv:
    old_block = page[b + len(BEGIN):e].lstrip("\n").splitlines()
    diff = list(difflib.unified_diff(old_block, generated.splitlines(), path, "entente help --markdown",
                                     lineterm="", n=1))
    print("\n".join(diff[:40]))
    sys.exit(f"{path}: the option reference is out of date with the CLI's option tables; "
             "run scripts/gen_cli_docs.py build/entente")
with open(path, "w", encoding="utf-8") as f:
    f.write(new)
print(f"updated {path}")
