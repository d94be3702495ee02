#!/usr/bin/env bash
# libentente.so exports exactly the public API: every defined dynamic symbol is an ent_ name
# declared in include/entente/*.h (not a library-private ent_i_ one, not a dependency's or the
# compiler's), and every function a public header promises is exported, under the ENTENTE_0
# version node; and that neither it nor the CLI links a library it does not use. The declared
# set comes from the compiler itself (gcc -aux-info on entente.h),
# not from a hand list, so a new public header is covered as soon as entente.h includes it.
#   env: ENT_SHARED_LIB (path of libentente.so), ENT_SRC (the checkout), ENT_TMP (scratch)
set -euo pipefail
lib=${ENT_SHARED_LIB:?} src=${ENT_SRC:?} tmp=${ENT_TMP:?}
mkdir -p "$tmp"
command -v nm >/dev/null || { echo "SKIP: nm not found"; exit 77; }

# SONAME: libentente.so.<major>, so programs link against the ABI, not the file.
soname=$(objdump -p "$lib" | awk '$1 == "SONAME" {print $2}')
[ "$soname" = "libentente.so.0" ] || { echo "FAIL: SONAME is '$soname', expected libentente.so.0"; exit 1; }

nm -D --defined-only "$lib" | awk '{print $2, $3}' > "$tmp/exported.txt"
fail=0
while read -r type name; do
    case "$name" in
    ENTENTE_0) [ "$type" = A ] && continue ;;  # the version node itself
    esac
    base=${name%@@ENTENTE_0}
    if [ "$base" = "$name" ]; then
        echo "FAIL: $name is exported without the ENTENTE_0 version"; fail=1
    fi
    case "$base" in
    ent_i_*) echo "FAIL: library-private $base is exported"; fail=1 ;;
    ent_*) ;;
    *) echo "FAIL: non-API symbol $base ($type) is exported"; fail=1 ;;
    esac
done < "$tmp/exported.txt"

# What the public headers declare: extern functions per gcc -aux-info.
echo '#include "entente.h"' > "$tmp/all.c"
${CC:-cc} -std=gnu11 -I"$src/include" -aux-info "$tmp/all.aux" -c "$tmp/all.c" -o "$tmp/all.o"
grep "/include/entente" "$tmp/all.aux" | grep -v '\*/ static ' \
    | sed -n 's/.*[ *]\(ent_[a-z0-9_]*\) (.*/\1/p' | sort -u > "$tmp/declared.txt"
awk '{print $2}' "$tmp/exported.txt" | sed -n 's/@@ENTENTE_0$//p' | sort -u > "$tmp/exported_names.txt"

ndecl=$(wc -l < "$tmp/declared.txt")
[ "$ndecl" -gt 100 ] || { echo "FAIL: only $ndecl declarations parsed from the headers"; exit 1; }
missing=$(comm -23 "$tmp/declared.txt" "$tmp/exported_names.txt")
extra=$(comm -13 "$tmp/declared.txt" "$tmp/exported_names.txt")
for n in $missing; do echo "FAIL: $n is declared in a public header but not exported (undefined?)"; fail=1; done
for n in $extra; do
    # a data object would not be in -aux-info; allow it only when a public header names it
    if ! grep -qw "$n" "$src"/include/entente/*.h; then
        echo "FAIL: $n is exported but no public header declares it"; fail=1
    fi
done
# No dependency linked but unused (ldd -u lists direct dependencies no symbol is taken from):
# the library and the CLI link only what they call.
for bin in "$lib" ${ENTENTE:+"$ENTENTE"}; do
    unused=$(ldd -u "$bin" 2>/dev/null | sed -n 's|^[[:space:]]*\(/.*\)|\1|p' || true)
    [ -z "$unused" ] || { echo "FAIL: $(basename "$bin") links unused libraries: $unused"; fail=1; }
done
[ $fail -eq 0 ] || exit 1
echo "ok: $(wc -l < "$tmp/exported_names.txt") exported symbols = the $ndecl public functions, SONAME $soname"
