#!/usr/bin/env bash
# make playground: the bot and the Microsoft 365 Agents Playground (offline), as a demo person.
# AS=email picks the person (default: a practitioner of the demo borough); PORT is the bot's port.
set -euo pipefail
cd "$(dirname "$0")/.."
PLF=.venv/bin/plf
PORT="${PORT:-3978}"
PLAYGROUND_PORT="${PLAYGROUND_PORT:-56150}"
in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for pair in "PORT $PORT the bot" "PLAYGROUND_PORT $PLAYGROUND_PORT the Agents Playground"; do
  set -- $pair
  if in_use "$2"; then
    echo "make playground: port $2 (${*:3}) is already in use by another process." >&2
    echo "  Stop it (is 'make run' or another 'make playground' running?), or choose another: make playground $1=<free port>" >&2
    exit 1
  fi
done
$PLF migrate
$PLF demo --if-empty
as=()
if [ -n "${AS:-}" ]; then as=(--as "$AS"); fi
$PLF playground-config "${as[@]}" --with-audit --out var/playground/.m365agentsplayground.yml
PORT="$PORT" $PLF serve > var/playground/bot.log 2>&1 &
bot=$!
trap 'kill $bot 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 100); do
  if ! kill -0 $bot 2>/dev/null; then cat var/playground/bot.log; exit 1; fi  # ours, not another's health
  if curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null; then break; fi
  sleep 0.2
done
echo "bot: http://127.0.0.1:$PORT/api/messages (log: var/playground/bot.log)"
echo "Agents Playground: open http://localhost:$PLAYGROUND_PORT in a browser; type 'my audits'. Ctrl-C stops both."
cd var/playground
TEAMSAPPTESTER_BROWSER=none ../../node_modules/.bin/agentsplayground \
  -e "http://127.0.0.1:$PORT/api/messages" -c msteams -p "$PLAYGROUND_PORT" --disable-telemetry
