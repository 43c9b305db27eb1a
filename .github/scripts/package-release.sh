#!/usr/bin/env bash
# Packs a release build of practica for one target into dist/: an archive
# (.tar.gz, or .zip for Windows) holding the binary, README.md and LICENSE,
# and its SHA-256 checksum in the format `sha256sum -c` reads.
#
#   .github/scripts/package-release.sh TARGET [VERSION]
#
# The binary is taken from target/TARGET/release/ (run
# `cargo build --release --locked --target TARGET` first). VERSION defaults
# to the crate's version.
set -euo pipefail
cd "$(dirname "$0")/../.."

target=${1:?usage: package-release.sh TARGET [VERSION]}
version=${2:-$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)}
name="practica-$version-$target"
binary="practica"
case "$target" in *windows*) binary="practica.exe" ;; esac
built="${CARGO_TARGET_DIR:-target}/$target/release/$binary"
[ -f "$built" ] || { echo "no $built: build it first" >&2; exit 1; }

staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
mkdir -p "$staging/$name" dist
cp "$built" README.md LICENSE "$staging/$name/"

case "$target" in
  *windows*)
    archive="$name.zip"
    (cd "$staging" && 7z a -tzip -bd "$OLDPWD/dist/$archive" "$name" >/dev/null 2>&1) \
      || (cd "$staging" && zip -qr "$OLDPWD/dist/$archive" "$name")
    ;;
  *)
    archive="$name.tar.gz"
    tar -C "$staging" -czf "dist/$archive" "$name"
    ;;
esac

(cd dist && if command -v sha256sum >/dev/null 2>&1; then
  sha256sum "$archive"
else
  shasum -a 256 "$archive"
fi) >"dist/$archive.sha256"
echo "dist/$archive"
