#!/usr/bin/env bash
# The card screenshots and the feedback page's browser test need a headless Chromium: Debian's package,
# installed if missing (as root).
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the card screenshots and the feedback page's browser test"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "Chromium is needed for the card screenshots and the feedback page's browser test"
echo "(tests/e2e/test_feedback_browser.py): install the 'chromium' package. For the cards alone,"
echo "'.venv/bin/plf cards --no-screenshots' writes the JSON, the gallery and the validation only."
exit 1
