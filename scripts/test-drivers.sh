#!/usr/bin/env bash
# Both drivers' suites at once. They share nothing but the machine and Redis (each test file
# has queue prefixes of its own), and most of a suite's time is spent waiting on brokers,
# databases and timers, so together they take little more than the longer one alone (on a
# 2-core machine: 562 s SQLite + 679 s PostgreSQL one after the other). Output lines are
# prefixed with the driver; the exit status fails if either suite fails.
set -uo pipefail
cd "$(dirname "$0")/.."

npm run --silent test:sqlite > >(sed -u 's/^/[sqlite] /') 2>&1 &
sqlite=$!
npm run --silent test:pg > >(sed -u 's/^/[pg] /') 2>&1 &
pg=$!

wait "$sqlite"; sqlite_status=$?
wait "$pg"; pg_status=$?
echo "test suites: sqlite exit ${sqlite_status}, postgresql exit ${pg_status}"
[[ $sqlite_status -eq 0 && $pg_status -eq 0 ]]
