#!/usr/bin/env bash
# Fetches GCC's C torture "execute" tests from Debian's gcc-12-source package for test/torture.
#
#   tools/fetch-gcc-torture.sh
#
# Only gcc/testsuite/gcc.c-torture/execute (with its ieee/ and builtins/ subdirectories) is taken
# from the GCC tarball inside the package. Results (under debian/ at the repository root, gitignored):
#   debian/gcc-torture/execute/     the tests as GCC ships them
#   debian/gcc-torture/VERSION      the gcc-12-source version they came from (reruns skip the work)
#   debian/gcc-torture/UNAVAILABLE  written when neither the package nor apt can be used here;
#                                   the torture tests then skip (and fail under CI=true)
#
# The tarball is read from /usr/src/gcc-12 when gcc-12-source is installed (CI installs it), otherwise
# the package is downloaded with `apt-get download` into a temporary directory and removed afterwards.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$repo/debian/gcc-torture"
marker="$out/UNAVAILABLE"
stamp="$out/VERSION"
member='*/gcc/testsuite/gcc.c-torture/execute/*'

unavailable() {
  mkdir -p "$out"
  echo "$1" >"$marker"
  echo "fetch-gcc-torture: skipped: $1"
  exit 0
}

# Unpacks the execute directory of a gcc-*.tar.xz read from stdin into $out/execute.
extract() {
  local tmp="$out/.extract"
  rm -rf "$tmp" "$out/execute"
  mkdir -p "$tmp"
  tar -xJ -C "$tmp" --wildcards "$member"
  mv "$tmp"/gcc-*/gcc/testsuite/gcc.c-torture/execute "$out/execute"
  rm -rf "$tmp"
}

installed=$(dpkg-query -W -f='${Status} ${Version}' gcc-12-source 2>/dev/null || true)
if [[ "$installed" == "install ok installed "* ]]; then
  version=${installed##* }
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$version" ] && [ -d "$out/execute" ]; then
    echo "fetch-gcc-torture: gcc-12-source $version already extracted"
    exit 0
  fi
  tarball=$(ls /usr/src/gcc-12/gcc-*.tar.xz 2>/dev/null | grep -v gm2 | head -n 1 || true)
  [ -n "$tarball" ] || unavailable "gcc-12-source is installed but /usr/src/gcc-12 holds no gcc tarball"
  echo "fetch-gcc-torture: extracting the execute tests from $tarball"
  mkdir -p "$out"
  extract <"$tarball"
else
  for tool in apt-get apt-cache dpkg-deb; do
    command -v "$tool" >/dev/null 2>&1 || unavailable "$tool not found (not a Debian-like host)"
  done
  version=$(apt-cache show --no-all-versions gcc-12-source 2>/dev/null | sed -n 's/^Version: //p' | head -n 1)
  [ -n "$version" ] || unavailable "apt does not know gcc-12-source (apt-get update needed?)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$version" ] && [ -d "$out/execute" ]; then
    echo "fetch-gcc-torture: gcc-12-source $version already extracted"
    exit 0
  fi
  mkdir -p "$out"
  dl=$(mktemp -d)
  trap 'rm -rf "$dl"' EXIT
  apt_opts=()
  if [ "$(id -u)" -eq 0 ]; then
    apt_opts+=(-o APT::Sandbox::User=root)
  fi
  echo "fetch-gcc-torture: apt-get download gcc-12-source ($version)"
  (cd "$dl" && apt-get "${apt_opts[@]}" download -q gcc-12-source) || unavailable "apt-get download gcc-12-source failed"
  deb=$(ls "$dl"/gcc-12-source_*.deb)
  echo "fetch-gcc-torture: extracting the execute tests"
  # The package holds the upstream tarball as usr/src/gcc-12/gcc-<version>-dfsg.tar.xz (gm2-*.tar.xz
  # beside it does not match).
  dpkg-deb --fsys-tarfile "$deb" | tar -xO --wildcards './usr/src/gcc-12/gcc-[0-9]*.tar.xz' | extract
fi
rm -f "$marker"
echo "$version" >"$stamp"
echo "fetch-gcc-torture: $(find "$out/execute" -name '*.c' | wc -l) files in debian/gcc-torture/execute"
