#!/usr/bin/env python3
"""Checks the library's layering (docs/layers.md): every #include "..." in src/<layer>/ that
reaches a private header of another layer must reach a lower layer, and only the store may use
SQLite: a call, a type or <sqlite3.h> outside src/store fails, and so does an include, from
another layer, of a store header that includes <sqlite3.h> (store_int.h): the importers write
through store_write.h, which has no SQL.

The build enforces the same order for includes written "layer/x_int.h" (each layer compiles
with include paths that hold only itself and the layers below it); this script also catches
what include paths cannot: a path relative to the including file ("../sim/sim_int.h").

usage: check_layers.py SRC_DIR     (exit 0: clean; 1: a violation, printed file:line)
"""
import fnmatch
import os
import re
import sys

# Lowest first. A layer may include the private headers of itself and of layers before it.
ORDER = ["util", "world", "store", "io", "measures", "models", "sim", "plot", "report"]
# Files outside src/store allowed to call SQLite, and why.
SQLITE_OK = {
    "util/alloc.c": "hands entente's allocator to SQLite (sqlite3_config)",
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
SQLITE = re.compile(r'\bsqlite3\w*')


def layer_of(path, src):
    rel = os.path.relpath(os.path.realpath(path), os.path.realpath(src))
    top = rel.split(os.sep)[0]
    return top if top in ORDER else None


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    src = sys.argv[1]
    bad = []
    # the store's headers that hand out SQLite (they include <sqlite3.h>): for the store's own files only
    sql_headers = set()
    store = os.path.join(src, "store")
    if os.path.isdir(store):
        for name in os.listdir(store):
            path = os.path.join(store, name)
            if name.endswith(".h"):
                with open(path, encoding="utf-8") as f:
                    if re.search(r'^\s*#\s*include\s*<sqlite3\.h>', f.read(), re.M):
                        sql_headers.add(os.path.realpath(path))
    nfiles = ninc = 0
    for layer in ORDER:
        d = os.path.join(src, layer)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(d, name)
            nfiles += 1
            with open(path, encoding="utf-8") as f:
                lines = f.read().split("\n")
            for no, line in enumerate(lines, 1):
                m = INCLUDE.match(line)
                if m:
                    inc = m.group(1)
                    # as the compiler looks: the including file's folder, then src/ and src/util
                    target = None
                    for base in (d, src, os.path.join(src, "util")):
                        cand = os.path.normpath(os.path.join(base, inc))
                        if os.path.exists(cand):
                            target = cand
                            break
                    if target is None:
                        continue  # generated or system header
                    ninc += 1
                    to = layer_of(target, src)
                    if to is not None and ORDER.index(to) > ORDER.index(layer):
                        bad.append(f"{path}:{no}: {layer} includes \"{inc}\" of the higher layer {to} "
                                   f"(order: {' < '.join(ORDER)})")
                    elif layer != "store" and os.path.realpath(target) in sql_headers:
                        bad.append(f"{path}:{no}: {layer} includes \"{inc}\", which hands out SQLite "
                                   f"(the store owns SQL: use store_read.h or store_write.h)")
                code = line.split("//")[0]
                if SQLITE.search(code) and layer != "store" and not code.lstrip().startswith(("*", "/*")) \
                        and not any(fnmatch.fnmatch(f"{layer}/{name}", pat) for pat in SQLITE_OK):
                    bad.append(f"{path}:{no}: SQLite used outside the store: {line.strip()[:80]}")
    for b in bad:
        print(b)
    if bad:
        print(f"FAIL: {len(bad)} layering violation(s)")
        return 1
    print(f"ok: {nfiles} files, {ninc} project includes, all downward ({' < '.join(ORDER)}); "
          f"SQLite only in the store (+ {', '.join(sorted(SQLITE_OK))})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
