"""Benchmark: the event loop `plf serve` runs on (EVENT_LOOP), chosen on evidence (issue 19).

The bot on uvloop and the bot on asyncio's own loop, each on its own 300 audits, and the echo bot
making one durable write per card (bench/echo_bot.py, the submit benchmark's yardstick), interleaved,
three repetitions each of 10 closed-loop clients for BENCH_THROUGHPUT_SECONDS (default 10). It prints
each variant's throughput and CPU per save, and each bot's ratio to the yardstick: uvloop would be the
default only if its ratio were the higher (it was not: settings.event_loop).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
from pathlib import Path

from submit import (
    AUDITS,
    CLIENTS,
    REPEATS,
    ROOT,
    THROUGHPUT_SECONDS,
    Target,
    bot_env,
    closed_loop,
    cpu_seconds,
    prepare,
    start,
    wait_healthy,
)

from tests.databases import SKIP_POSTGRES, fresh_database
from tests.e2e.running_app import free_port


async def main() -> int:
    if SKIP_POSTGRES:
        print("!!! PLF_SKIP_POSTGRES=1: the event-loop benchmark runs on PostgreSQL only; SKIPPED")
        return 0
    with tempfile.TemporaryDirectory() as workdir:
        async with fresh_database("postgres", Path(workdir)) as database_url:
            targets = await prepare(database_url)
            env = bot_env(database_url)
            ports = free_port(), free_port(), free_port()
            serve = [sys.executable, "-m", "plf_cli.main", "serve"]
            echo = [sys.executable, str(ROOT / "bench" / "echo_bot.py"), str(ports[2]), database_url]
            logs = Path(workdir)
            processes = [
                start(serve, {**env, "PORT": str(ports[0]), "EVENT_LOOP": "uvloop"}, logs / "uvloop.log"),
                start(serve, {**env, "PORT": str(ports[1]), "EVENT_LOOP": "asyncio"}, logs / "asyncio.log"),
                start(echo, {**env, "PYTHONPATH": str(ROOT)}, logs / "durable.log"),
            ]
            own = (targets[:AUDITS], targets[AUDITS:], targets[:AUDITS])
            names = ("bot on uvloop", "bot on asyncio", "durable echo")
            found: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
            try:
                urls = [f"http://127.0.0.1:{port}" for port in ports]
                for url in urls:
                    await wait_healthy(f"{url}/healthz")
                lists = [[Target(t.audit_id, t.aad) for t in ts] for ts in own]
                for url, ts in zip(urls, lists, strict=True):  # warmed up first
                    await closed_loop(f"{url}/api/messages", ts, CLIENTS, 2.0)
                for _ in range(REPEATS):
                    for name, url, ts, process in zip(names, urls, lists, processes, strict=True):
                        before = cpu_seconds(process.pid)
                        rate = await closed_loop(f"{url}/api/messages", ts, CLIENTS, THROUGHPUT_SECONDS)
                        cpu = (cpu_seconds(process.pid) - before) * 1000 / max(1.0, rate * THROUGHPUT_SECONDS)
                        found[name].append((rate, cpu))
                        print(f"  {name}: {rate:7.1f} saves/s, {cpu:.2f} ms CPU each", flush=True)
            finally:
                for process in processes:
                    process.terminate()
                    process.wait(timeout=10)
    medians = {name: statistics.median(r for r, _ in runs) for name, runs in found.items()}
    for name in names:
        cpu = statistics.median(c for _, c in found[name])
        print(f"  {name:<15} median {medians[name]:7.1f} saves/s, CPU {cpu:.2f} ms/save")
    uv, plain = (medians[n] / medians["durable echo"] for n in names[:2])
    print(f"  ratio to the durable echo: uvloop {uv:.2f}, asyncio {plain:.2f} [uvloop better: {uv > plain}]")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
