#!/usr/bin/env bash
# Starts the action server and the Rasa server with the newest model.
# Usage: scripts/run_servers.sh [shell]   (RASA_PORT, ACTION_PORT and ENDPOINTS honoured)
# Both listen on 127.0.0.1 only (RASA_INTERFACE / ACTION_HOST change it, e.g. behind a proxy
# on another machine); the API token reaches Rasa through the environment, never the
# command line, where `ps` would show it to every local user (scripts/rasa_serve.py).
set -euo pipefail
cd "$(dirname "$0")/.."
RASA_PORT=${RASA_PORT:-5005}
ACTION_PORT=${ACTION_PORT:-5055}
ENDPOINTS=${ENDPOINTS:-var/endpoints.yml}
RASA_INTERFACE=${RASA_INTERFACE:-127.0.0.1}
ACTION_HOST=${ACTION_HOST:-127.0.0.1}
mkdir -p var/log

# The HTTP API (--enable-api) always needs a token; the chat widget and the REST
# channel do not. Set RASA_AUTH_TOKEN, or one is made once and kept in var/auth_token.
if [ -z "${RASA_AUTH_TOKEN:-}" ]; then
  [ -s var/auth_token ] || (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > var/auth_token)
  RASA_AUTH_TOKEN=$(cat var/auth_token)
fi

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$ACTION_PORT" "$RASA_PORT"; do
  if port_taken "$port"; then
    echo "Port $port is already in use; set RASA_PORT / ACTION_PORT to free ports." >&2
    exit 1
  fi
done

# rasa-sdk's action server reads its interface from SANIC_HOST (default 0.0.0.0).
SANIC_HOST="$ACTION_HOST" .venv/bin/rasa run actions -p "$ACTION_PORT" > var/log/actions.log 2>&1 &
actions_pid=$!
trap 'kill $actions_pid 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 120); do
  curl -fs "http://$ACTION_HOST:$ACTION_PORT/health" >/dev/null 2>&1 && break
  kill -0 "$actions_pid" 2>/dev/null || { echo "Action server failed; see var/log/actions.log" >&2; exit 1; }
  sleep 0.5
done
kill -0 "$actions_pid" 2>/dev/null || { echo "Action server failed; see var/log/actions.log" >&2; exit 1; }

if [ "${1:-}" = "shell" ]; then
  .venv/bin/rasa shell --endpoints "$ENDPOINTS" -m models/ -p "$RASA_PORT"
  exit
fi
echo "Chat in your browser: http://$RASA_INTERFACE:$RASA_PORT/webhooks/webchat/"
echo "REST channel:         POST http://$RASA_INTERFACE:$RASA_PORT/webhooks/rest/webhook"
echo "Metrics:              GET  http://$RASA_INTERFACE:$RASA_PORT/metrics"
echo "HTTP API token:       in var/auth_token (or \$RASA_AUTH_TOKEN)"
RASA_AUTH_TOKEN="$RASA_AUTH_TOKEN" .venv/bin/python scripts/rasa_serve.py --enable-api \
  -i "$RASA_INTERFACE" -p "$RASA_PORT" --endpoints "$ENDPOINTS" -m models/
