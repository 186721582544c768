#!/usr/bin/env bash
# Starts the action server and the Rasa server with the newest model.
# Usage: scripts/run_servers.sh [shell]   (RASA_PORT, ACTION_PORT and ENDPOINTS honoured)
set -euo pipefail
cd "$(dirname "$0")/.."
RASA_PORT=${RASA_PORT:-5005}
ACTION_PORT=${ACTION_PORT:-5055}
ENDPOINTS=${ENDPOINTS:-var/endpoints.yml}
mkdir -p var/log

.venv/bin/rasa run actions -p "$ACTION_PORT" > var/log/actions.log 2>&1 &
actions_pid=$!
trap 'kill $actions_pid 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 120); do
  curl -fs "http://localhost:$ACTION_PORT/health" >/dev/null 2>&1 && break
  kill -0 "$actions_pid" 2>/dev/null || { echo "Action server failed; see var/log/actions.log" >&2; exit 1; }
  sleep 0.5
done

if [ "${1:-}" = "shell" ]; then
  .venv/bin/rasa shell --endpoints "$ENDPOINTS" -m models/ -p "$RASA_PORT"
  exit
fi
echo "Chat in your browser: http://localhost:$RASA_PORT/webhooks/webchat/"
echo "REST API:             POST http://localhost:$RASA_PORT/webhooks/rest/webhook"
.venv/bin/rasa run --enable-api -p "$RASA_PORT" --endpoints "$ENDPOINTS" -m models/ \
  ${RASA_AUTH_TOKEN:+--auth-token "$RASA_AUTH_TOKEN"}
