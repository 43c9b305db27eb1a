#!/usr/bin/env bash
# The steps of the practica GitHub Action (action.yml at the repository
# root), in one script so they run, and are tested, outside GitHub too:
#
#   practica-action.sh install        puts practica on PATH: the release
#                                     binary of the action's version for
#                                     this runner, else says what to build
#   practica-action.sh build-source   cargo install from the action's sources
#   practica-action.sh run            check or build, then gaps
#
# Inputs come in PRACTICA_* variables (action.yml maps its inputs to them);
# step outputs go to $GITHUB_OUTPUT, folders to add to PATH to $GITHUB_PATH,
# the gaps report to the job summary, $GITHUB_STEP_SUMMARY.
set -euo pipefail

say() { printf '%s\n' "$*" >&2; }
fail() { printf '::error title=practica::%s\n' "$*"; exit 2; }
output() { printf '%s=%s\n' "$1" "$2" >>"${GITHUB_OUTPUT:-/dev/null}"; }

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$@"; else shasum -a 256 "$@"; fi
}

# The release target of this runner (the names release.yml builds), or
# nothing when there is no release binary for it.
runner_target() {
  case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
    Linux/X64) echo x86_64-unknown-linux-gnu ;;
    Linux/ARM64) echo aarch64-unknown-linux-gnu ;;
    macOS/X64) echo x86_64-apple-darwin ;;
    macOS/ARM64) echo aarch64-apple-darwin ;;
    Windows/X64) echo x86_64-pc-windows-msvc ;;
  esac
}

# A folder as the runner's own programs read it (C:\… on Windows).
native() {
  if command -v cygpath >/dev/null 2>&1; then cygpath -w "$1"; else echo "$1"; fi
}

tools_dir() {
  echo "${PRACTICA_TOOLS:-${RUNNER_TOOL_CACHE:-${RUNNER_TEMP:-/tmp}}}/practica"
}

# Downloads, checks and unpacks the release archive of VERSION for TARGET
# (named as .github/scripts/package-release.sh names it); fails when the
# release has none, so the caller builds from source instead.
from_release() {
  local version=$1 target=$2 ext=tar.gz
  case "$target" in *windows*) ext=zip ;; esac
  local name="practica-$version-$target"
  local url="$PRACTICA_RELEASES/v$version/$name.$ext"
  local dir
  dir="$(tools_dir)/release-$version-$target"
  mkdir -p "$dir"
  if ! curl -fsSL --retry 3 -o "$dir/$name.$ext" "$url" \
    || ! curl -fsSL --retry 3 -o "$dir/$name.$ext.sha256" "$url.sha256"; then
    say "no release binary at $url"
    return 1
  fi
  # A download that does not match its checksum is never run.
  (cd "$dir" && sha256 -c "$name.$ext.sha256" >/dev/null) \
    || fail "$name.$ext does not match its SHA-256 checksum"
  case "$ext" in
    zip) (cd "$dir" && { unzip -qo "$name.$ext" 2>/dev/null || 7z x -y "$name.$ext" >/dev/null; }) ;;
    *) tar -xzf "$dir/$name.$ext" -C "$dir" ;;
  esac
  native "$dir/$name" >>"${GITHUB_PATH:-/dev/null}"
  output installed "release v$version ($target)"
  say "practica $version: the release binary for $target"
}

# A key for the action's sources, for the cache of a build from them.
source_key() {
  (cd "$PRACTICA_SOURCE" \
    && find Cargo.toml Cargo.lock build.rs src themes -type f -print0 \
    | LC_ALL=C sort -z | xargs -0 cat | sha256 | cut -c1-16)
}

install() {
  local source=${PRACTICA_SOURCE:?the action folder, with Cargo.toml}
  local version target
  version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$source/Cargo.toml" | head -n 1)
  target=$(runner_target)
  case "${PRACTICA_INSTALL:-auto}" in
    auto) ;;
    source) target= ;;
    *) fail "install: \`${PRACTICA_INSTALL}\` is not \`auto\` or \`source\`" ;;
  esac
  if [ -n "$target" ] && [ -n "${PRACTICA_RELEASES:-}" ] && from_release "$version" "$target"; then
    return
  fi
  local key
  key="practica-source-${RUNNER_OS:-local}-${RUNNER_ARCH:-local}-$version-$(source_key)"
  output source-key "$key"
  output source-root "$(tools_dir)/$key"
  say "practica $version: built from the action's sources (cached as $key)"
}

build_source() {
  local root=${PRACTICA_SOURCE_ROOT:?where to install}
  if [ -x "$root/bin/practica" ] || [ -x "$root/bin/practica.exe" ]; then
    say "practica: taken from the cache"
  else
    cargo install --locked --quiet --path "${PRACTICA_SOURCE:?}" --root "$root"
  fi
  native "$root/bin" >>"${GITHUB_PATH:-/dev/null}"
  output installed "built from source"
}

# Writes the base ref's gaps.json to FILE; fails (saying why) when the
# base has no community to compare with, or the ref cannot be found.
base_gaps() {
  local ref=$1 root=$2 file=$3
  local commit
  commit=$(git rev-parse --verify --quiet "origin/$ref^{commit}" \
    || git rev-parse --verify --quiet "$ref^{commit}" \
    || { git fetch --quiet --no-tags origin "$ref" && git rev-parse --verify --quiet "FETCH_HEAD^{commit}"; }) \
    || { say "cannot find \`$ref\` to compare gaps with"; return 1; }
  local inside worktree status=0
  # The community's folder in the repository, to find it in the base.
  inside=$(cd "$root" && git rev-parse --show-prefix) \
    || { say "$root is not in a git repository: no gaps to compare with"; return 1; }
  worktree="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/practica-base-$$"
  git worktree add --detach --quiet "$worktree" "$commit" \
    || { say "cannot check out \`$ref\` to compare gaps with"; return 1; }
  "${PRACTICA_BIN:-practica}" gaps "$worktree/$inside" --format json ${drafts[@]+"${drafts[@]}"} \
    >"$file" 2>/dev/null || status=$?
  git worktree remove --force "$worktree"
  # gaps reports content with errors too (exit 0); 2 is no community or
  # broken settings, which leave nothing to compare with.
  if [ "$status" -gt 1 ] || [ ! -s "$file" ]; then
    say "\`$ref\` has no community in ${inside:-the repository root} to compare gaps with"
    return 1
  fi
}

run() {
  local practica=${PRACTICA_BIN:-practica}
  local root=${PRACTICA_ROOT:-.}
  local format=${PRACTICA_FORMAT:-github}
  local status=0
  drafts=()
  [ "${PRACTICA_DRAFTS:-false}" = true ] && drafts=(--drafts)
  [ -f "$root/community.yaml" ] || fail "$root has no community.yaml: set the action's \`root\` input to the community folder"
  "$practica" --version
  case "${PRACTICA_COMMAND:-check}" in
    check) "$practica" check "$root" --format "$format" ${drafts[@]+"${drafts[@]}"} || status=$? ;;
    build)
      local args=(build "$root" --format "$format" ${drafts[@]+"${drafts[@]}"})
      [ -n "${PRACTICA_OUTPUT:-}" ] && args+=(--output "$PRACTICA_OUTPUT")
      [ -n "${PRACTICA_BASE_URL:-}" ] && args+=(--base-url "$PRACTICA_BASE_URL")
      "$practica" "${args[@]}" || status=$?
      output site "${PRACTICA_OUTPUT:-$root/public}"
      ;;
    none) ;;
    *) fail "command: \`$PRACTICA_COMMAND\` is not \`check\`, \`build\` or \`none\`" ;;
  esac
  if [ "${PRACTICA_GAPS:-true}" = true ]; then
    gaps "$root" || { local gaps_status=$?; [ "$gaps_status" -gt "$status" ] && status=$gaps_status; }
  fi
  return "$status"
}

gaps() {
  local root=$1
  local practica=${PRACTICA_BIN:-practica}
  local gaps_format=${PRACTICA_GAPS_FORMAT:-markdown}
  local dir="${RUNNER_TEMP:-${TMPDIR:-/tmp}}"
  local args=(gaps "$root" --format "$gaps_format" ${drafts[@]+"${drafts[@]}"})
  local baseline=${PRACTICA_GAPS_BASELINE:-}
  if [ -z "$baseline" ] && [ -n "${PRACTICA_BASELINE_REF:-}" ]; then
    baseline="$dir/practica-base-gaps.json"
    base_gaps "$PRACTICA_BASELINE_REF" "$root" "$baseline" || baseline=
  fi
  [ -n "$baseline" ] && args+=(--baseline "$baseline")
  [ -n "${PRACTICA_FAIL_ON:-}" ] && args+=(--fail-on "$PRACTICA_FAIL_ON")
  local extension=txt
  case "$gaps_format" in markdown) extension=md ;; json) extension=json ;; esac
  local file="$dir/practica-gaps.$extension"
  local status=0
  "$practica" "${args[@]}" >"$file" || status=$?
  output gaps-file "$file"
  if [ "$gaps_format" = markdown ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    { echo "## Knowledge gaps"; echo; cat "$file"; } >>"$GITHUB_STEP_SUMMARY"
  fi
  return "$status"
}

case "${1:-}" in
  install) install ;;
  build-source) build_source ;;
  run) run ;;
  *) say "usage: practica-action.sh install|build-source|run"; exit 2 ;;
esac
