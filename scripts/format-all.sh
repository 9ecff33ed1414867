#!/usr/bin/env bash
# Formats the whole tree with Prettier once (.prettierrc.json: printWidth 120), then checks that
# nothing broke. Run it on a clean tree after the last merge, review, and commit the result on its
# own; then add that commit's hash to .git-blame-ignore-revs so `git blame` skips it.
# After this, `npm run format:check` (part of `npm test`) keeps it so; `npm run format` fixes.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -n "$(git status --porcelain)" ]; then
  echo "error: the tree has uncommitted changes; commit or stash them first" >&2
  exit 1
fi

# Twice: Prettier 3 can print a member chain one way, then the other on its own output (it did in
# e2e/bench.measure.ts); the second pass settles it, and --check then passes.
npx prettier --write . --log-level warn
npx prettier --write . --log-level warn
git diff --shortstat
npx prettier --check . --log-level warn
npx eslint .
npm run typecheck
echo "==> formatted; now run the tests (npm test, or at least npm run test:unit) and commit"
