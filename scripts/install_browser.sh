#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (tests/e2e/test_widget_browser.py) and
# Debian's Noto CJK fonts, which the page and the case file's PDFs use
# (coach/casefile/pdf.py embeds Noto Sans CJK SC).
# Idempotent: does nothing when /usr/bin/chromium and the font are already there.
# Never downloads a Playwright browser build: the tests drive this Chromium directly.
set -euo pipefail
CHROMIUM=/usr/bin/chromium
CJK_FONT=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

if [ -x "$CHROMIUM" ] && [ -f "$CJK_FONT" ]; then
  echo "Chromium already installed: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
  echo "CJK font already installed: $CJK_FONT"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Chromium ($CHROMIUM) or the CJK font ($CJK_FONT) is missing and installing them needs root." >&2
  echo "Run as root: apt-get update && apt-get install -y chromium fonts-noto-cjk" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends chromium fonts-noto-cjk
echo "Installed: $("$CHROMIUM" --version)"
