#!/usr/bin/env bash
# Regenerates every example in exports/examples.txt from the shipped graph.
# Usage: exports/regenerate.sh   (from anywhere; builds linkchart first)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
while IFS=$'\t' read -r file args; do
    case "$file" in ''|'#'*) continue ;; esac
    # shellcheck disable=SC2086 # the arguments are words by design
    ./target/release/linkchart --graph graph $args -o "exports/$file"
done < exports/examples.txt
