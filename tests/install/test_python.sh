#!/usr/bin/env bash
# The Python package against an installed, moved prefix: cmake --install, move the prefix,
# `pip install ./python --no-build-isolation` (offline, into a target directory), then
# python_checks.py with libentente.so found through pkg-config (PKG_CONFIG_PATH only):
# struct layouts vs the C compiler, equality with the CLI's outputs on the same inputs (world,
# China's pyramid, blocs, balance, simulate, forecast, dyads), the published Signorino & Ritter
# value when ../shared/data exists, a round trip of the world, errors as exceptions.
#   env: ENT_BUILD, ENT_SRC, ENT_TMP, ENT_PYTHON (Debian's /usr/bin/python3), ENT_SHARED_DATA, CC
set -euo pipefail
build=${ENT_BUILD:?} src=${ENT_SRC:?} tmp=${ENT_TMP:?} py=${ENT_PYTHON:-/usr/bin/python3}
rm -rf "$tmp" && mkdir -p "$tmp"
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
    "$py" "$src/tests/install/python_checks.py" "$tmp/moved" "$tmp" "${ENT_SHARED_DATA:-}"
