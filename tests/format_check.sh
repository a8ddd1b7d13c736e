#!/usr/bin/env bash
# Fails if any project C++ source is not clang-format clean (.clang-format at
# the repository root).  Usage: tests/format_check.sh [SOURCE_DIR]
# Fix with: clang-format -i FILE...
set -euo pipefail

SRC=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
SRC=$(cd "$SRC" && pwd)
cd "$SRC"

command -v clang-format >/dev/null || {
  echo "format_check: clang-format is not installed (deploy/install-deps.sh)" >&2
  exit 1
}

files=()
if git -C "$SRC" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  # Tracked plus new, not-ignored files (build*/ and var/ are ignored).
  while IFS= read -r -d '' f; do
    [[ -f "$f" ]] && files+=("$f")
  done < <(git -C "$SRC" ls-files -z --cached --others --exclude-standard -- '*.cc' '*.h' | sort -zu)
else
  while IFS= read -r -d '' f; do
    files+=("${f#./}")
  done < <(find . \( -path './build*' -o -path './var' -o -path './.git' -o -path './node_modules' \) -prune \
    -o -type f \( -name '*.cc' -o -name '*.h' \) -print0 | sort -z)
fi

if ((${#files[@]} == 0)); then
  echo "format_check: no C++ sources found"
  exit 0
fi

if ! printf '%s\0' "${files[@]}" | xargs -0 clang-format --dry-run --Werror; then
  echo "format_check: the files above are not formatted; run: clang-format -i <file>..." >&2
  exit 1
fi
echo "format_check: ${#files[@]} files clean"
