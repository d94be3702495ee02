#!/usr/bin/env bash
# The Python package against an installed, moved prefix: cmake --install, move the prefix,
# `pip install ./python --no-build-isolation` (offline, into a target directory), then
# python_checks.py with libentente.so found through pkg-config (PKG_CONFIG_PATH only):
# struct layouts vs the C compiler, equality with the CLI's outputs on the same inputs (world,
# China's pyramid, blocs, balance, simulate, forecast, dyads), the dyad layer, weight specs and the
# partition solver (against balance --world, balance FILE [--exhaustive], balance-dynamics --world
# and a recount), the published Signorino & Ritter value and Gahuku-Gama frustration index when
# ../shared/data exists, a round trip of the world, a world built in memory (World.build)
# equal to the loaded one, similarity of a world = `similarity --world` and = its store's, errors as
# exceptions.
#   env: ENT_BUILD, ENT_SRC, ENT_TMP, ENT_PYTHON (Debian's /usr/bin/python3), ENT_SHARED_DATA, CC
set -euo pipefail
build=${ENT_BUILD:?} src=${ENT_SRC:?} tmp=${ENT_TMP:?} py=${ENT_PYTHON:-/usr/bin/python3}
rm -rf "$tmp" && mkdir -p "$tmp"
# In an ASan build (make asan) the installed library is instrumented: a program that is not (the
# test's own C programs, python3) must load the ASan runtime first; their leaks are not ours.
run_uninstrumented() {
    if [ "${ENT_SANITIZE:-0}" = 1 ]; then
        LD_PRELOAD=$(${CC:-cc} -print-file-name=libasan.so) ASAN_OPTIONS=detect_leaks=0 "$@"
    else
        "$@"
    fi
}
unset ENTENTE_WORLD ENTENTE_SCENARIOS ENTENTE_DB ENTENTE_LIB
for mod in cffi numpy pandas networkx pip; do
    "$py" -c "import $mod" 2>/dev/null || { echo "SKIP: $py lacks $mod (scripts/bootstrap installs it)"; exit 77; }
done
cmake --install "$build" --prefix "$tmp/stage" > "$tmp/install.log"
mv "$tmp/stage" "$tmp/moved"
# pip builds in a copy so the checkout stays clean (no build/ or egg-info in python/)
cp -r "$src/python" "$tmp/python-src"
"$py" -m pip install --quiet --no-build-isolation --no-deps --no-index --disable-pip-version-check \
    --target "$tmp/site" "$tmp/python-src" > "$tmp/pip.log" 2>&1 || { cat "$tmp/pip.log"; exit 1; }
cd "$tmp"   # nothing from the checkout on sys.path
PYTHONPATH=$tmp/site PKG_CONFIG_PATH=$tmp/moved/lib/pkgconfig OMP_NUM_THREADS=2 \
    run_uninstrumented "$py" "$src/tests/install/python_checks.py" "$tmp/moved" "$tmp" "${ENT_SHARED_DATA:-}"
