"""Start the real bot as a separate process, the way `make run` does, on a free port."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

PLF = [sys.executable, "-m", "plf_cli.main"]
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def plf_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MICROSOFT_APP", "ALLOWED_TENANT"))}
    env.update(DATABASE_URL=database_url, LOG_FORMAT="json", **extra)
    return env


def plf(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*PLF, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)


@dataclass
class RunningApp:
    url: str
    process: subprocess.Popen[str]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text()


@asynccontextmanager
async def running_app(database_url: str, tmp_path: Path, **extra: str) -> AsyncIterator[RunningApp]:
    port = free_port()
    env = plf_env(database_url, PORT=str(port), **extra)
    log_path = tmp_path / f"app-{port}.log"
    with log_path.open("w") as log:
        process = subprocess.Popen([*PLF, "serve"], env=env, cwd=ROOT, stdout=log, stderr=log, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(150):
                if process.poll() is not None:
                    raise RuntimeError(f"the app exited with {process.returncode}:\n{log_path.read_text()}")
                try:
                    async with http.get(f"{url}/healthz") as response:
                        if response.status in (200, 503):
                            break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.1)
            else:
                raise RuntimeError(f"the app did not start:\n{log_path.read_text()}")
        yield RunningApp(url, process, log_path)
    finally:
        stop(process)


def stop(process: subprocess.Popen[Any], timeout: float = 15) -> None:
    """Terminate a child process, and kill it if it does not go in time."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
