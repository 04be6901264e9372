#!/usr/bin/env bash
# Fetches unmodified Debian arm64 packages and unpacks them into a sysroot for guest tests and benchmarks.
#
#   tools/fetch-debian.sh [PKG...]        (default: every package in tools/debian-packages.txt)
#
# Results (all under debian/ at the repository root, which is gitignored):
#   debian/debs/<pkg>_<version>_<arch>.deb   the packages as Debian ships them
#   debian/root/                             every fetched package unpacked with dpkg-deb -x (a sysroot)
#   debian/stamps/<pkg>.extracted            records that <pkg> is unpacked, so reruns skip it
#   debian/UNAVAILABLE                       written when apt/dpkg cannot be used here; tests then skip
#
# Only the named packages are fetched, not their dependencies: dynamic programs need their libraries
# (libc6, ...) listed too. Idempotent: packages already downloaded and unpacked are skipped.
# Works as root (CI) or as a user with sudo for the two steps that change the system's apt state.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$repo/debian"
debs="$out/debs"
root="$out/root"
stamps="$out/stamps"
marker="$out/UNAVAILABLE"

if [ "$#" -eq 0 ]; then
  # shellcheck disable=SC2046
  set -- $(sed -e 's/#.*//' "$repo/tools/debian-packages.txt")
fi

# Marks the tree as unusable and stops without failing the caller (tests read the marker and skip).
unavailable() {
  mkdir -p "$out"
  echo "$1" >"$marker"
  echo "fetch-debian: skipped: $1"
  exit 0
}

for tool in apt-get apt-cache dpkg dpkg-deb; do
  command -v "$tool" >/dev/null 2>&1 || unavailable "$tool not found (not a Debian-like host)"
done

# Runs a command that changes system apt state: directly as root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    unavailable "need root or passwordless sudo to run: $*"
  fi
}

# apt warns that downloads as root are unsandboxed when _apt cannot write to the target directory;
# as root we simply download as root.
apt_opts=()
if [ "$(id -u)" -eq 0 ]; then
  apt_opts+=(-o APT::Sandbox::User=root)
fi

if ! dpkg --print-foreign-architectures | grep -qx arm64 && [ "$(dpkg --print-architecture)" != arm64 ]; then
  echo "fetch-debian: dpkg --add-architecture arm64"
  as_root dpkg --add-architecture arm64
fi

# Strips an optional ":arch" suffix; the name is what Debian's file names start with.
base_name() { echo "${1%%:*}"; }

# Prints the .deb already downloaded for a package (arm64 or architecture-independent), if any.
find_deb() {
  local name
  name=$(base_name "$1")
  local f
  for f in "$debs/${name}"_*_arm64.deb "$debs/${name}"_*_all.deb; do
    if [ -e "$f" ]; then
      echo "$f"
      return
    fi
  done
}

# What to ask apt for: "name:arm64", or "name" for a list entry written "name:all" (an
# architecture-independent package, which has no arm64 candidate).
apt_target() {
  case "$1" in
  *:all) echo "${1%%:*}" ;;
  *:*) echo "$1" ;;
  *) echo "$1:arm64" ;;
  esac
}

mkdir -p "$debs" "$root" "$stamps"

# One apt-get download for every package not downloaded yet (apt-cache queries cost seconds each
# on a machine with several architectures' lists); on failure the lists are refreshed once.
targets=()
for pkg in "$@"; do
  [ -n "$(find_deb "$pkg")" ] || targets+=("$(apt_target "$pkg")")
done
if [ "${#targets[@]}" -gt 0 ]; then
  echo "fetch-debian: apt-get download ${#targets[@]} package(s)"
  if ! (cd "$debs" && apt-get "${apt_opts[@]}" download -q "${targets[@]}"); then
    echo "fetch-debian: apt-get update (arm64 package lists missing or stale)"
    # A partly failed update (one mirror mid-sync) can still bring the lists needed; the retry judges.
    as_root apt-get update -qq || echo "fetch-debian: apt-get update reported errors; retrying anyway" >&2
    (cd "$debs" && apt-get "${apt_opts[@]}" download -q "${targets[@]}") || {
      echo "fetch-debian: could not download: ${targets[*]}" >&2
      exit 1
    }
  fi
fi

rm -f "$marker"

for pkg in "$@"; do
  name=$(base_name "$pkg")
  deb=$(find_deb "$pkg")
  [ -n "$deb" ] || {
    echo "fetch-debian: download of $name produced no .deb in $debs" >&2
    exit 1
  }
  stamp="$stamps/$name.extracted"
  # The stamp names the .deb it came from, so a newer download is unpacked again.
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(basename "$deb")" ]; then
    echo "fetch-debian: $name already unpacked"
    continue
  fi
  echo "fetch-debian: dpkg-deb -x $(basename "$deb") debian/root/"
  dpkg-deb -x "$deb" "$root"
  basename "$deb" >"$stamp"
done

# Debian's python3.11 packages ship no .pyc files: their postinst (py3compile) compiles the standard
# library at install time. dpkg-deb -x runs no postinst, so do that step here with the host's Python
# when it is the same 3.11 (bytecode does not depend on the architecture); otherwise the guest
# compiles on first use, which is slow under emulation.
if [ -d "$root/usr/lib/python3.11" ] && command -v python3 >/dev/null 2>&1 &&
  python3 -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)'; then
  echo "fetch-debian: compiling debian/root/usr/lib/python3.11 (py3compile's step)"
  python3 -m compileall -q -j0 "$root/usr/lib/python3.11" >/dev/null || true
fi
