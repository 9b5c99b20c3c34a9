#!/usr/bin/env bash
# Start-up smoke check: build, start the all-in-one service as `npm start` runs it (SQLite in a
# temporary DATA_DIR, free ports), wait for GET /health to answer 200, then stop it with
# SIGTERM and require a clean exit (code 0). Prints the service's log when anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."

START_WITHIN_S=60
STOP_WITHIN_S=15

npm run build

free_port() {
  node -e "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });"
}
healthy() {
  node -e "fetch('http://127.0.0.1:$1/health', { signal: AbortSignal.timeout(2000) }).then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))"
}

data_dir="$(mktemp -d)"
log="$data_dir/service.log"
pid=""
cleanup() {
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || :; fi
  rm -rf "$data_dir"
}
trap cleanup EXIT
fail() {
  echo "smoke-start: $*" >&2
  echo "----- service log -----" >&2
  cat "$log" >&2
  exit 1
}

port="$(free_port)"
mqtt_port="$(free_port)"
# The embedded defaults only: no DATABASE_URL (SQLite), no MQTT_URL; the generated secrets and
# the admin password land in the temporary DATA_DIR.
env -u DATABASE_URL -u MQTT_URL -u JWT_SECRET -u PSEUDONYM_KEY -u ADMIN_PASSWORD \
  NODE_ENV=production LOG_LEVEL=info PORT="$port" MQTT_EMBEDDED_PORT="$mqtt_port" DATA_DIR="$data_dir" \
  node dist/apps/all-in-one/src/main.js >"$log" 2>&1 &
pid=$!

deadline=$((SECONDS + START_WITHIN_S))
until healthy "$port"; do
  kill -0 "$pid" 2>/dev/null || fail "the service exited before /health answered 200"
  ((SECONDS < deadline)) || fail "GET /health did not answer 200 within ${START_WITHIN_S} s"
  sleep 0.5
done
echo "smoke-start: /health answered 200 on port $port"

kill -TERM "$pid"
deadline=$((SECONDS + STOP_WITHIN_S))
while kill -0 "$pid" 2>/dev/null; do
  ((SECONDS < deadline)) || fail "the service did not stop within ${STOP_WITHIN_S} s of SIGTERM"
  sleep 0.2
done
status=0
wait "$pid" || status=$?
pid=""
((status == 0)) || fail "the service exited with code $status after SIGTERM (expected 0)"
[[ -s "$data_dir/admin-password" ]] || fail "no generated admin password in DATA_DIR/admin-password"
echo "smoke-start: stopped cleanly on SIGTERM"
