#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (tests/e2e/test_widget_browser.py).
# Idempotent: does nothing when /usr/bin/chromium is already there.
# Never downloads a Playwright browser build: the tests drive this Chromium directly.
set -euo pipefail
CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  echo "Chromium already installed: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Chromium is missing at $CHROMIUM and installing it needs root." >&2
  echo "Run as root: apt-get update && apt-get install -y chromium" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends chromium fonts-noto-cjk
echo "Installed: $("$CHROMIUM" --version)"
