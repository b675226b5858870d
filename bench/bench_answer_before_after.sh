#!/bin/bash
# The answer benchmark before and after the spaces issue (8), in one run on the same machine,
# alternating: before = 3ca3a33 checked out in /tmp/wt-before (git worktree add /tmp/wt-before
# 3ca3a33), after = this checkout. Positioning answers only (what both trees can do).
for round in 1 2; do
  echo "== round $round: before (3ca3a33)"
  (cd /tmp/wt-before && PYTHONPATH=/tmp/wt-before/src /work/main/.venv/bin/python bench/bench_answer.py --learners 20 2>&1 | tail -4)
  echo "== round $round: after (main)"
  (cd "$(dirname "$0")/.." && .venv/bin/python bench/bench_answer.py --learners 20 --kind positioning 2>&1 | tail -4)
done
