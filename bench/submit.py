"""Benchmark: the card-submit round trip (invoke → authorisation → validation → database write →
refreshed card) on PostgreSQL, against a bare Agents-SDK echo bot measured in the same run.

- open-loop: 200 invokes/s for 60 s, sent on schedule whether or not earlier ones answered;
  p50 and p99 latency;
- throughput: 10 concurrent clients, as fast as answers come;
- the same two against bench/echo_bot.py; the ratios; the bot's peak memory (VmHWM).
Targets (issue 4): p99 <= 50 ms at 200/s; throughput >= 0.6 x the echo bot's; <= 200 MB RSS.
BENCH_SECONDS shortens the open-loop phase (default 60).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from plf_core.card_actions import Verb
from plf_core.clock import FixedClock
from plf_core.demo_borough import build_demo_borough
from tests.databases import SKIP_POSTGRES, fresh_database
from tests.e2e.running_app import free_port, plf, plf_env
from tests.instants import DEFAULT_NOW

RATE = 200
SECONDS = float(os.environ.get("BENCH_SECONDS", "60"))
CLIENTS = 10
THROUGHPUT_SECONDS = 15.0
AUDITS = 300


@dataclass
class Target:
    audit_id: int
    aad: str
    version: int = 1


def invoke(aad: str, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "invoke",
        "name": "adaptiveCard/action",
        "id": "bench",
        "channelId": "msteams",
        "serviceUrl": "http://127.0.0.1:9/",
        "from": {"id": f"29:{aad[:8]}", "aadObjectId": aad},
        "recipient": {"id": "28:bot"},
        "conversation": {"id": f"a:{aad[:8]}", "conversationType": "personal"},
        "value": {"action": {"type": "Action.Execute", "verb": Verb.PAGE_SAVE, "data": data}, "trigger": "manual"},
    }


class Shed(Exception):
    """The bot answered 503 (MAX_IN_FLIGHT reached): refused at once, not served."""


async def one(http: aiohttp.ClientSession, url: str, target: Target, n: int) -> float:
    data = {
        "verb": Verb.PAGE_SAVE,
        "audit": target.audit_id,
        "version": target.version,
        "page": "header",
        "H_how": "self",
        "H_date": f"2026-11-{1 + n % 28:02d}",
    }
    started = time.perf_counter()
    async with http.post(url, json=invoke(target.aad, data)) as response:
        if response.status == 503:
            raise Shed
        body = await response.json()
    elapsed = time.perf_counter() - started
    assert response.status == 200 and body["statusCode"] == 200, body
    card = body["value"]
    save = _find(card, Verb.PAGE_SAVE)
    if save is not None:
        target.version = int(save["data"]["version"])
    return elapsed


def _find(node: Any, verb: str) -> dict[str, Any] | None:
    if isinstance(node, dict):
        if node.get("type") == "Action.Execute" and node.get("verb") == verb:
            return node
        for value in node.values():
            found = _find(value, verb)
            if found:
                return found
    elif isinstance(node, list):
        for value in node:
            found = _find(value, verb)
            if found:
                return found
    return None


async def open_loop(url: str, targets: list[Target], rate: int, seconds: float) -> tuple[list[float], int]:
    latencies: list[float] = []
    shed = 0
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as http:
        start = time.perf_counter() + 0.2
        tasks = []

        async def fire(n: int) -> None:
            nonlocal shed
            try:
                latencies.append(await one(http, url, targets[n % len(targets)], n))
            except Shed:
                shed += 1

        for n in range(int(rate * seconds)):
            delay = start + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(fire(n)))
        await asyncio.gather(*tasks)
    return latencies, shed


async def closed_loop(url: str, targets: list[Target], clients: int, seconds: float) -> float:
    done = 0
    deadline = time.perf_counter() + seconds
    async with aiohttp.ClientSession() as http:

        async def client(k: int) -> None:
            nonlocal done
            n = k
            while time.perf_counter() < deadline:
                try:
                    await one(http, url, targets[k::clients][n % len(targets[k::clients])], n)
                    done += 1
                except Shed:
                    await asyncio.sleep(0.01)
                n += 1

        await asyncio.gather(*(client(k) for k in range(clients)))
    return done / seconds


def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=1000)[int(p * 10) - 1] * 1000


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def wait_healthy(url: str) -> None:
    async with aiohttp.ClientSession() as http:
        for _ in range(300):
            try:
                async with http.get(url) as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


async def prepare(database_url: str) -> list[Target]:
    env = plf_env(database_url)
    for args in (["migrate"], ["demo"]):
        result = plf(args, env)
        assert result.returncode == 0, result.stderr
    borough = build_demo_borough()
    people = {p.email: p for p in borough.people}
    targets: list[Target] = []
    from plf_cli.running import qa_actor
    from plf_core import assigning
    from store.database import create_engine
    from store.unit_of_work import unit_of_work_factory

    engine = create_engine(database_url)
    clock = FixedClock(DEFAULT_NOW)
    try:
        async with unit_of_work_factory(engine, clock)() as uow:
            qa = await qa_actor(uow, None)
            for case in borough.cases[:AUDITS]:
                worker = people[case.allocated_worker_email or ""]
                today = clock.today()
                reply = await assigning.assign(uow, qa, case.azeus_number, worker.email, None, today, anyway=True)
                targets.append(Target(int(reply.text.split()[1]), worker.aad_object_id))
    finally:
        await engine.dispose()
    return targets


async def measure(name: str, url: str, targets: list[Target]) -> tuple[list[float], int, float]:
    print(f"  {name}: open loop {RATE}/s for {SECONDS:g} s ...", flush=True)
    latencies, shed = await open_loop(url, targets, RATE, SECONDS)
    print(f"  {name}: {CLIENTS} clients for {THROUGHPUT_SECONDS:g} s ...", flush=True)
    throughput = await closed_loop(url, targets, CLIENTS, THROUGHPUT_SECONDS)
    return latencies, shed, throughput


async def main() -> int:
    if SKIP_POSTGRES:
        print("!!! PLF_SKIP_POSTGRES=1: the submit benchmark runs on PostgreSQL only; SKIPPED")
        return 0
    with tempfile.TemporaryDirectory() as workdir:
        async with fresh_database("postgres", Path(workdir)) as database_url:
            targets = await prepare(database_url)
            bot_port, echo_port = free_port(), free_port()
            env = plf_env(
                database_url,
                PORT=str(bot_port),
                LOG_LEVEL="WARNING",
                DISPATCH_INTERVAL_SECONDS="60",
                FLOOD_LIMIT="10000",
            )  # the clients stand for many people: no per-person flood limit
            bot_log = (Path(workdir) / "bot.log").open("w")
            bot = subprocess.Popen(
                [sys.executable, "-m", "plf_cli.main", "serve"], env=env, cwd=ROOT, stdout=bot_log, stderr=bot_log
            )
            echo = subprocess.Popen(
                [sys.executable, str(ROOT / "bench" / "echo_bot.py"), str(echo_port)],
                env={**env, "PYTHONPATH": str(ROOT)},
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                await wait_healthy(f"http://127.0.0.1:{bot_port}/healthz")
                await wait_healthy(f"http://127.0.0.1:{echo_port}/healthz")
                print(f"card-submit round trip on PostgreSQL ({len(targets)} audits, page 'header' saved each time)")
                bot_lat, bot_shed, bot_tp = await measure("bot", f"http://127.0.0.1:{bot_port}/api/messages", targets)
                echo_targets = [Target(t.audit_id, t.aad) for t in targets]
                echo_lat, _, echo_tp = await measure("echo", f"http://127.0.0.1:{echo_port}/api/messages", echo_targets)
                rss = peak_rss_mb(bot.pid)
            except Exception:
                print((Path(workdir) / "bot.log").read_text()[-3000:])
                raise
            finally:
                for process in (bot, echo):
                    process.terminate()
                    process.wait(timeout=10)
    p50, p99 = percentile(bot_lat, 50), percentile(bot_lat, 99)
    e50, e99 = percentile(echo_lat, 50), percentile(echo_lat, 99)
    ratio = bot_tp / echo_tp

    def verdict(ok: bool) -> str:
        return "ok" if ok else "MISSED"

    print(
        f"  bot : {len(bot_lat):,} invokes answered at {RATE}/s: p50 {p50:6.1f} ms, p99 {p99:6.1f} ms "
        f"[target p99 <= 50 ms: {verdict(p99 <= 50 and not bot_shed)}]; {CLIENTS} clients: {bot_tp:7.1f} invokes/s"
    )
    if bot_shed:
        print(f"        {bot_shed:,} of {bot_shed + len(bot_lat):,} refused at once with 503 (MAX_IN_FLIGHT reached)")
    print(
        f"  echo: {len(echo_lat):,} invokes at {RATE}/s: p50 {e50:6.1f} ms, p99 {e99:6.1f} ms; "
        f"{CLIENTS} clients: {echo_tp:7.1f} invokes/s"
    )
    print(
        f"  ratios bot/echo: throughput {ratio:.2f} [target >= 0.6: {verdict(ratio >= 0.6)}], "
        f"p50 {p50 / e50:.2f}x, p99 {p99 / e99:.2f}x"
    )
    print(f"  bot peak memory (VmHWM): {rss:.0f} MB [target <= 200 MB: {verdict(rss <= 200)}]")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
