#!/usr/bin/env bash
# Makes sure the PostgreSQL test database answers before the tests run.
# If it does not, tries to start the local cluster; if it still cannot be reached, fails
# naming the cause, unless PLF_SKIP_POSTGRES=1, which skips the PostgreSQL half loudly.
set -uo pipefail
url="${PLF_TEST_POSTGRES_URL:-postgresql+asyncpg://postgres@127.0.0.1:5432/test}"
py="${VENV_PYTHON:-.venv/bin/python}"

probe() {
  "$py" - "$url" <<'PY'
import asyncio, sys
import asyncpg
from sqlalchemy.engine import make_url
u = make_url(sys.argv[1])
async def main():
    conn = await asyncpg.connect(host=u.host or "127.0.0.1", port=u.port or 5432, user=u.username,
                                 password=u.password, database=u.database, timeout=5)
    await conn.close()
try:
    asyncio.run(main())
except Exception as exc:
    print(f"{type(exc).__name__}: {exc}")
    sys.exit(1)
PY
}

if [ "${PLF_SKIP_POSTGRES:-0}" = "1" ]; then
  echo "!!!!!!!! PLF_SKIP_POSTGRES=1: the PostgreSQL half of the tests is SKIPPED !!!!!!!!"
  exit 0
fi
if cause=$(probe); then exit 0; fi
echo "PostgreSQL at $url is not answering ($cause); trying to start it"
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  for version in $(ls /etc/postgresql); do
    pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>&1 | sed 's/^/  /'
  done
  for _ in $(seq 1 20); do
    if cause=$(probe); then echo "PostgreSQL started"; exit 0; fi
    sleep 0.5
  done
else
  cause="$cause; and no local PostgreSQL cluster (pg_ctlcluster) to start"
fi
echo "PostgreSQL at $url cannot be reached: $cause"
echo "Start it, point PLF_TEST_POSTGRES_URL at one, or set PLF_SKIP_POSTGRES=1 to skip that half."
exit 1
