"""`plf serve --workers N`: N processes of the bot on one host, listening on one port (SO_REUSEPORT, so
the kernel shares the connections out), so that a host uses all its cores (issue 19).

Each worker is the whole bot: its own connection pool, dispatcher and scheduler. That is how several
instances already share one PostgreSQL database (they claim work with SELECT ... FOR UPDATE SKIP
LOCKED and share Teams' rate limits through it), so N > 1 needs PostgreSQL; an SQLite file takes one
writer at a time and is served by one process. This process only watches: a worker that dies is
started again (at most RESTARTS_PER_MINUTE times a minute, then everything stops, saying why), and
SIGINT or SIGTERM stops them all.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import time
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from types import FrameType

from logs import configure_logging
from settings import Settings

MAX_WORKERS = 16
RESTARTS_PER_MINUTE = 5
STOP_WAIT_S = 15.0
log = logging.getLogger("plf.workers")


def _worker(settings: Settings, number: int) -> None:
    configure_logging(settings.log_level, settings.log_format)
    from app import serve

    logging.getLogger("plf.app").info("worker %d serving (pid %d)", number, multiprocessing.current_process().pid)
    serve(settings, reuse_port=True)


class Workers:
    def __init__(self, settings: Settings, count: int) -> None:
        self.settings = settings
        self.count = count
        self.context = multiprocessing.get_context("spawn")  # a clean interpreter: no event loop inherited
        self.running: dict[int, BaseProcess] = {}  # worker number -> process
        self.restarts: list[float] = []
        self.stopping = False
        self.stopped_at = 0.0

    def start(self, number: int) -> None:
        process = self.context.Process(target=_worker, args=(self.settings, number), name=f"plf-worker-{number}")
        process.start()
        self.running[number] = process

    def stop(self, signum: int, _frame: FrameType | None) -> None:
        if not self.stopping:
            log.info("stopping %d workers (%s)", len(self.running), signal.Signals(signum).name)
        self.stopping, self.stopped_at = True, self.stopped_at or time.monotonic()
        for process in self.running.values():
            if process.is_alive():
                process.terminate()

    def watch(self) -> int:
        """Until every worker has ended: 0 when asked to stop, 1 when workers kept dying."""
        failed = False
        while self.running:
            ended = wait([p.sentinel for p in self.running.values()], timeout=1.0)
            if self.stopping and time.monotonic() - self.stopped_at > STOP_WAIT_S:
                for process in self.running.values():
                    process.kill()  # a worker that would not stop in time
            for number, process in list(self.running.items()):
                if process.sentinel not in ended:
                    continue
                del self.running[number]
                process.join()
                if self.stopping:
                    continue
                if not self._may_restart():
                    log.error("workers keep ending (%d restarts within a minute): stopping", len(self.restarts))
                    failed = True
                    self.stop(signal.SIGTERM, None)
                    continue
                log.warning(
                    "worker %d (pid %s) ended with code %s: starting another", number, process.pid, process.exitcode
                )
                self.start(number)
        return 1 if failed else 0

    def _may_restart(self) -> bool:
        now = time.monotonic()
        self.restarts = [t for t in self.restarts if now - t < 60.0] + [now]
        return len(self.restarts) <= RESTARTS_PER_MINUTE


def serve_workers(settings: Settings, count: int) -> int:
    workers = Workers(settings, count)
    signal.signal(signal.SIGTERM, workers.stop)
    signal.signal(signal.SIGINT, workers.stop)
    for number in range(1, count + 1):
        workers.start(number)
    return workers.watch()
