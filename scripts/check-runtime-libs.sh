#!/usr/bin/env bash
# Checks that the Containerfile's runtime stage installs every shared library BINARY needs.
# Usage: scripts/check-runtime-libs.sh BINARY [CONTAINERFILE]
# Writes BINARY.libs (one line per library: soname, path, Debian package) and exits 1 naming
# each library whose package is neither installed by the runtime stage's `apt-get install` nor
# one of BASE_PACKAGES, which every Debian image has (glibc, and libgcc-s1 that libc6 depends
# on). It resolves packages with this machine's dpkg: run it on Debian bookworm, the image's base.
set -euo pipefail
binary=${1:?usage: $0 BINARY [CONTAINERFILE]}
containerfile=${2:-Containerfile}
BASE_PACKAGES="libc6 libgcc-s1"
[ -x "$binary" ] || { echo "$binary: no such executable" >&2; exit 1; }
libraries=$(ldd "$binary") || { echo "ldd $binary failed" >&2; exit 1; }

# The packages after `apt-get install` in the last stage (continuation lines joined).
runtime_packages=$(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$containerfile" \
  | awk '/^FROM /{stage=""} {stage=stage $0 "\n"} END{printf "%s", stage}' \
  | grep -o 'apt-get install[^&]*' \
  | tr ' ' '\n' | grep -v -e '^-' -e '^$' -e '^apt-get$' -e '^install$' | sort -u)
[ -n "$runtime_packages" ] || { echo "$containerfile: no apt-get install in the last stage" >&2; exit 1; }

# The package that owns a library file; usrmerge means it may be registered under /lib or /usr/lib.
owner() {
  local path=$1 real
  real=$(readlink -f "$path")
  for candidate in "$path" "$real" "${real#/usr}" "/usr$real"; do
    dpkg -S "$candidate" 2>/dev/null | head -1 | cut -d: -f1 && return 0
  done
  return 1
}

missing=0
: > "$binary.libs"
# ldd lines: "libfoo.so.1 => /path/libfoo.so.1 (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)".
while read -r soname path; do
  case "$soname" in linux-vdso.so.*|linux-gate.so.*) continue ;; esac
  if [ "$path" = "not found" ]; then
    echo "$binary: $soname is not found on this machine" >&2; missing=1; continue
  fi
  package=$(owner "$path") || { echo "$binary: no Debian package owns $path ($soname)" >&2; missing=1; continue; }
  echo "$soname $path $package" >> "$binary.libs"
  if grep -qx "$package" <<<"$runtime_packages"; then continue; fi
  if grep -qw -- "$package" <<<"$BASE_PACKAGES"; then continue; fi
  echo "$binary needs $soname ($path) from Debian package $package: add it to the runtime stage's apt-get install in $containerfile" >&2
  missing=1
done < <(sed -n -e 's/^[[:space:]]*\([^ ]*\) => \([^ ]*\).*/\1 \2/p' -e 's/^[[:space:]]*\(\/[^ ]*\) (0x.*/\1 \1/p' <<<"$libraries")

[ "$missing" = 0 ] || exit 1
echo "$binary: every shared library it needs comes from the runtime stage's packages ($(echo $runtime_packages)) or the base image's ($BASE_PACKAGES) (list in $binary.libs)"
