"""Start the real bot as a separate process, the way `make run` does, on a free port."""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import os
import socket
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp

from plf_core.clock import Clock
from tests.instants import DEFAULT_NOW

PLF = [sys.executable, "-m", "plf_cli.main"]
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def plf_env(database_url: str, now: datetime | None = DEFAULT_NOW, **extra: str) -> dict[str, str]:
    """The environment of a `plf` process: this database, JSON logs, and its clock started at `now`
    (None: the system's clock, as with an app id, where PLF_NOW is refused)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MICROSOFT_APP", "ALLOWED_TENANT", "PLF_NOW"))}
    env.update(DATABASE_URL=database_url, LOG_FORMAT="json", **extra)
    if now is not None:
        env["PLF_NOW"] = now.isoformat()
    return env


def plf_process(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`plf ARGS` as its own process, as a person types it (for where the process is the point)."""
    return subprocess.run([*PLF, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)


_one_at_a_time = threading.Lock()


def plf(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`plf ARGS` in this process: `plf_cli.main.main(argv)` with `env` as the environment, its output
    captured, on a thread of its own (so an async test may call it too). The log configuration the
    command sets up is undone afterwards."""
    from plf_cli.main import main

    result: dict[str, int] = {}
    out, err = io.StringIO(), io.StringIO()

    def run() -> None:
        try:
            result["code"] = main(args)
        except SystemExit as exc:  # argparse's usage errors
            result["code"] = int(exc.code or 0)

    with _one_at_a_time:
        saved_env, root = dict(os.environ), logging.getLogger()
        handlers, level = root.handlers[:], root.level
        os.environ.clear()
        os.environ.update(env)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                worker = threading.Thread(target=run, name=f"plf {' '.join(args[:1])}")
                worker.start()
                worker.join(120)
        finally:
            os.environ.clear()
            os.environ.update(saved_env)
            root.handlers[:] = handlers
            root.setLevel(level)
    if worker.is_alive():
        raise RuntimeError(f"plf {' '.join(args)} did not finish within 120 s")
    return subprocess.CompletedProcess(["plf", *args], result.get("code", 1), out.getvalue(), err.getvalue())


@dataclass
class RunningApp:
    url: str
    process: subprocess.Popen[str]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text()


STARTUP_LIMIT_S = 60.0  # a loaded machine can take a while to import and migrate


@asynccontextmanager
async def running_app(
    database_url: str,
    tmp_path: Path,
    now: datetime | None = DEFAULT_NOW,
    serve: Sequence[str] = (),
    **extra: str,
) -> AsyncIterator[RunningApp]:
    """`plf serve [SERVE...]` as its own process, with `extra` in its environment."""
    port = free_port()
    env = plf_env(database_url, now, PORT=str(port), **extra)
    log_path = tmp_path / f"app-{port}.log"
    with log_path.open("w") as log:
        process = subprocess.Popen([*PLF, "serve", *serve], env=env, cwd=ROOT, stdout=log, stderr=log, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        await wait_until_serving(url, process, log_path)
        yield RunningApp(url, process, log_path)
    finally:
        stop(process)


async def wait_until_serving(url: str, process: subprocess.Popen[str], log_path: Path) -> None:
    """Poll /healthz until the app answers (200, or 503 naming a database problem), for up to a minute."""
    deadline = asyncio.get_running_loop().time() + STARTUP_LIMIT_S
    async with aiohttp.ClientSession() as http:
        while asyncio.get_running_loop().time() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"the app exited with {process.returncode}:\n{log_path.read_text()}")
            try:
                async with http.get(f"{url}/healthz", timeout=aiohttp.ClientTimeout(total=5)) as response:
                    if response.status in (200, 503):
                        return
            except (aiohttp.ClientError, TimeoutError):
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(f"the app did not start within {STARTUP_LIMIT_S:g} s:\n{log_path.read_text()}")


def stop(process: subprocess.Popen[Any], timeout: float = 15) -> None:
    """Terminate a child process, and kill it if it does not go in time."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class ServedApp:
    """The bot served in this process by aiohttp's test server: what `running_app` is, minus the process."""

    url: str
    lines: io.StringIO

    def log(self) -> str:
        return self.lines.getvalue()


@asynccontextmanager
async def serving(
    database_url: str, now: datetime = DEFAULT_NOW, clock: Clock | None = None, **extra: str
) -> AsyncIterator[ServedApp]:
    """`create_app(settings)` on aiohttp's test server, its clock started at `now` (running from there, as
    PLF_NOW does), local mode, and its log lines kept as the JSON a process would write."""
    from aiohttp.test_utils import TestServer

    from app import create_app
    from logs import QuietSdkNoise, json_formatter
    from plf_core.clock import RunningClock
    from settings import load_settings
    from tests.instants import LONDON

    port = free_port()  # the app's links name its own address
    given: dict[str, object] = {"microsoft_app_id": None, "allowed_tenant_ids": "", "plf_now": None, "port": port}
    given |= {k.lower(): v for k, v in extra.items()}
    settings = load_settings(_env_file=None, database_url=database_url, **given)
    lines = io.StringIO()
    handler = logging.StreamHandler(lines)
    handler.setFormatter(json_formatter())
    handler.addFilter(QuietSdkNoise())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(min(level, logging.INFO) if level else logging.INFO)
    try:
        async with TestServer(
            create_app(settings, clock or RunningClock(now, LONDON)), host="127.0.0.1", port=port
        ) as server:
            yield ServedApp(str(server.make_url("")).rstrip("/"), lines)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
