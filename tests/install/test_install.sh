#!/usr/bin/env bash
# The installed, then moved, prefix works with no checkout behind it:
#   cmake --install into a temporary prefix, move the prefix elsewhere, then
#   - the CLI finds share/entente/{data,scenarios} beside itself: `world --check` and a small
#     `forecast`, and proof that it reads the moved copies (a file removed there makes it fail,
#     naming the moved path), not the checkout compiled in as the last fallback;
#   - a C program built with `pkg-config --cflags --libs entente` from that prefix, linked to
#     libentente.so.0, finds the world beside the library and agrees with the CLI;
#   - a CMake project using find_package(entente) builds and runs against entente::entente;
#   - the man page, headers, static library and package files are where they belong.
#   env: ENT_BUILD (build tree), ENT_TMP (scratch), CC
set -euo pipefail
build=${ENT_BUILD:?} tmp=${ENT_TMP:?}
rm -rf "$tmp" && mkdir -p "$tmp"
unset ENTENTE_WORLD ENTENTE_SCENARIOS ENTENTE_DB
# In an ASan build (make asan) the installed library is instrumented: a program that is not (the
# test's own C programs, python3) must load the ASan runtime first; their leaks are not ours.
run_uninstrumented() {
    if [ "${ENT_SANITIZE:-0}" = 1 ]; then
        LD_PRELOAD=$(${CC:-cc} -print-file-name=libasan.so) ASAN_OPTIONS=detect_leaks=0 "$@"
    else
        "$@"
    fi
}
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }

cmake --install "$build" --prefix "$tmp/stage" > "$tmp/install.log"
mv "$tmp/stage" "$tmp/moved"
p=$tmp/moved
for f in bin/entente lib/libentente.so.0 lib/libentente.a lib/pkgconfig/entente.pc include/entente.h \
    include/entente/common.h lib/cmake/entente/ententeConfig.cmake lib/cmake/entente/ententeTargets.cmake \
    share/man/man1/entente.1 share/entente/data/states.csv share/entente/scenarios/baseline.yaml \
    share/entente/web/index.html share/entente/web/app.js; do
    [ -e "$p/$f" ] || bad "not installed: $f"
done
[ "$(readlink "$p/lib/libentente.so.0")" = "libentente.so.0.1.0" ] || bad "libentente.so.0 does not point at the versioned file"
grep -q '^\.SH ENTENTE FORECAST' "$p/share/man/man1/entente.1" || bad "man page lacks the forecast section"
[ ! -e "$p/share/entente/data/scripts" ] || bad "the data's derivation scripts were installed"

# ---- the CLI, from the moved prefix
cd "$tmp"   # not the checkout: nothing relative to the source tree can help
"$p/bin/entente" world --check > "$tmp/check.out" 2>&1 || bad "moved world --check failed: $(cat "$tmp/check.out")"
grep -q "^shipped world $p/share/entente/data: ok" "$tmp/check.out" || bad "world --check did not use the moved data: $(cat "$tmp/check.out")"
# keep two scenarios so the forecast is small
for f in "$p"/share/entente/scenarios/*.yaml; do
    case "$(basename "$f")" in baseline.yaml | china-russia-pact.yaml) ;; *) rm "$f" ;; esac
done
"$p/bin/entente" forecast --runs 40 --seed 7 --json > "$tmp/forecast.json" 2> "$tmp/forecast.err" \
    || bad "moved forecast failed: $(cat "$tmp/forecast.err")"
grep -q '"china-russia-pact"' "$tmp/forecast.json" || bad "forecast lacks the china-russia-pact scenario"
grep -q "\"$p/share/entente/scenarios\"" "$tmp/forecast.json" || bad "forecast did not read the moved scenarios"
grep -q '"taiwan-strait-crisis"' "$tmp/forecast.json" && bad "forecast read scenarios that are not in the moved prefix"
# a file removed from the moved data: the CLI must fail on it (so it is not reading the checkout)
mv "$p/share/entente/data/orgs.csv" "$tmp/orgs.csv"
set +e
"$p/bin/entente" world --check > "$tmp/check2.out" 2>&1
rc=$?
set -e
[ $rc -eq 3 ] || bad "world --check with orgs.csv removed exited $rc, expected 3"
grep -q "$p/share/entente/data" "$tmp/check2.out" || bad "the error does not name the moved data: $(cat "$tmp/check2.out")"
mv "$tmp/orgs.csv" "$p/share/entente/data/orgs.csv"
# the environment still wins over the installed copy
ENTENTE_WORLD=$tmp/nowhere "$p/bin/entente" world --check > "$tmp/check3.out" 2>&1 && bad "ENTENTE_WORLD was ignored"
grep -q "$tmp/nowhere" "$tmp/check3.out" || bad "ENTENTE_WORLD not named: $(cat "$tmp/check3.out")"

# the explorer's page from the moved prefix (share/entente/web, its npm files in web/vendor)
"$p/bin/entente" serve --port 0 > "$tmp/serve.url" 2> "$tmp/serve.err" &
spid=$!
for _ in $(seq 100); do [ -s "$tmp/serve.url" ] && break; sleep 0.1; done
url=$(head -1 "$tmp/serve.url")
grep -q "web $p/share/entente/web" "$tmp/serve.err" || bad "serve did not find the moved web folder: $(cat "$tmp/serve.err")"
[ "$(curl -s -o /dev/null -w '%{http_code}' "${url}")" = 200 ] || bad "serve: no page from the moved prefix"
if [ -e "$ENT_SRC/web/node_modules/d3/dist/d3.min.js" ]; then
    [ "$(curl -s -o /dev/null -w '%{http_code}' "${url}vendor/d3.min.js")" = 200 ] || bad "serve: no d3 from the moved prefix"
fi
kill -INT $spid; wait $spid || bad "serve did not exit 0 on SIGINT"

# ---- a C program from pkg-config, on the shared library
export PKG_CONFIG_PATH=$p/lib/pkgconfig
[ "$(pkg-config --modversion entente)" = "0.1.0" ] || bad "pkg-config --modversion: $(pkg-config --modversion entente)"
cat > "$tmp/prog.c" <<'C'
#include <entente.h>
#include <stdio.h>
#include <string.h>
/* Loads the shipped world from its default directory (found beside libentente.so), prints
 * what `entente world --check` prints, and China's index and name. */
int main(void)
{
    ent_world_t *w = NULL;
    const char *dir = ent_world_default_dir();
    if (ent_world_load_dir(&w, dir) != ENT_OK) {
        fprintf(stderr, "load %s: %s\n", dir, ent_errmsg());
        return 1;
    }
    int64_t chn;
    if (ent_world_find(&chn, w, "CHN") != ENT_OK) {
        fprintf(stderr, "%s\n", ent_errmsg());
        return 1;
    }
    printf("%s %s: %zu states, %zu ties; CHN=%s\n", ent_version(), dir, ent_world_nstates(w), ent_world_nties(w),
           ent_world_state(w, (size_t)chn)->name);
    /* an error carries its message through the shared library */
    int64_t none;
    ent_err_t rc = ent_world_find(&none, w, "NOSUCH");
    printf("%s: %s\n", ent_strerror(rc), ent_errmsg());
    ent_world_free(w);
    return 0;
}
C
# shellcheck disable=SC2046
${CC:-cc} -o "$tmp/prog" "$tmp/prog.c" $(pkg-config --cflags --libs entente) \
    -Wl,-rpath,"$(pkg-config --variable=libdir entente)" || bad "compiling against pkg-config entente failed"
if [ -x "$tmp/prog" ]; then
    so=$(ldd "$tmp/prog" | awk '$1 == "libentente.so.0" {print $3}')
    [ -n "$so" ] && [ "$(readlink -f "$so")" = "$(readlink -f "$p/lib/libentente.so.0")" ] \
        || bad "prog is not linked to the moved libentente.so.0: $(ldd "$tmp/prog" | grep entente)"
    run_uninstrumented "$tmp/prog" > "$tmp/prog.out" 2>&1 || bad "prog failed: $(cat "$tmp/prog.out")"
    counts=$(sed -n 's/.*ok -- \([0-9]*\) states, \([0-9]*\) ties.*/\1 states, \2 ties/p' "$tmp/check.out")
    grep -qF "0.1.0 $p/share/entente/data: $counts; CHN=China" "$tmp/prog.out" \
        || bad "prog disagrees with the CLI ($counts): $(cat "$tmp/prog.out")"
    grep -q "^ENT_ENOTFOUND: .*NOSUCH" "$tmp/prog.out" || bad "error message lost: $(cat "$tmp/prog.out")"
fi

# ---- a CMake project with find_package(entente)
mkdir -p "$tmp/cm"
cp "$tmp/prog.c" "$tmp/cm/prog.c"
cat > "$tmp/cm/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.20)
project(uses_entente C)
find_package(entente 0.1 REQUIRED)
add_executable(prog prog.c)
target_link_libraries(prog PRIVATE entente::entente)
add_executable(prog_static prog.c)
target_link_libraries(prog_static PRIVATE entente::entente_static)
CM
san=()
# an ASan build's static library needs the sanitizer runtimes at link time
[ "${ENT_SANITIZE:-0}" = 1 ] && san=(-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined)
if cmake -S "$tmp/cm" -B "$tmp/cm/b" -DCMAKE_PREFIX_PATH="$p" "${san[@]}" > "$tmp/cm.log" 2>&1 \
    && cmake --build "$tmp/cm/b" >> "$tmp/cm.log" 2>&1; then
    run_uninstrumented "$tmp/cm/b/prog" | grep -qF "$counts" || bad "find_package prog disagrees"
    # the static library is inside the program, which is not in a prefix: point it at the data
    ENTENTE_WORLD=$p/share/entente/data run_uninstrumented "$tmp/cm/b/prog_static" | grep -qF "$counts" || bad "static prog disagrees"
else
    bad "find_package(entente) project failed: $(tail -20 "$tmp/cm.log")"
fi

[ $fail -eq 0 ] || exit 1
echo "ok: installed, moved to $p, CLI + pkg-config C program + find_package project all work"
