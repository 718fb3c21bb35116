#!/usr/bin/env bash
# Score `duban followup` on the report pairs of ../shared/gold/track_dev.jsonl, then on the real
# labelled pairs (corpus/annotations/track_real.jsonl) cross-validated by government.
# usage: scripts/eval_track.sh [--verbose]     (prints the scorer's output; its summary line comes
# before the real-pair summaries, which are one line per scorer, the default `combined` last)
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${SHARED:-../shared}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# source  later  as-of (the later report's date, corpus/INDEX.md)
while read -r src later date; do
  .venv/bin/duban followup "$shared/corpus/$src" --later "$shared/corpus/$later" --as-of "$date" --format jsonl >>"$out"
done <<'PAIRS'
ningxia-gwr-2025.txt ningxia-gwr-2026.txt 2026-02-09
hunan-gwr-2025.txt hunan-gwr-2026.txt 2026-02-24
sichuan-gwr-2025.txt sichuan-gwr-2026.txt 2026-02-25
national-gwr-2024.txt national-gwr-2025.txt 2025-03-05
PAIRS
echo "dev pairs:"
python3 "$shared/eval/score_track.py" "$shared/gold/track_dev.jsonl" "$out" "$@"
echo "real pairs, cross-validated by government:"
[ -n "${DEV_ONLY:-}" ] && exit 0
DUBAN_SHARED="$shared" .venv/bin/python scripts/eval_track_real.py --demo --only rules,combined
