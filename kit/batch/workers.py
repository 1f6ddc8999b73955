"""Worker processes that may die: each job bounded in time and memory, a dead worker
replaced, its own jobs failed and no one else's, everything stopped at once on request.

Typst is native code: a poster it cannot afford aborts the whole process (a Rust
allocation failure is not an exception), and the OOM killer does the same from outside.
So every render runs in a worker process of its own, never in kit's; the supervisor sees
a worker die through its sentinel, names the job it was on, starts a new one and goes on.
A job that runs past its time limit is killed the same way. Tasks may share a tag (the
logo they draw): once two of them have killed a worker, the others fail without being
tried, so one poisoned logo costs two crashes, not one per poster; a single death (the
OOM killer choosing a worker) does not condemn the hundred schools that share a logo.

Workers ignore Ctrl-C (the supervisor stops them itself), die with the parent (Linux's
PR_SET_PDEATHSIG, and a watchdog thread elsewhere), and write their stderr (a Rust panic
message, say) to a log the supervisor reads for the reason of a death.
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

JOB_TIMEOUT = 60.0  # seconds for one file: a poster takes one or two
STRIKES = 2  # deaths on tasks of one tag before its other tasks are not tried
JOB_MEMORY = 3 * 1024**3  # bytes of data per worker: ten times what the largest poster needs
_PR_SET_PDEATHSIG = 1


@dataclass
class Task:
    """Items run one after another in one worker (one poster's formats and thumbnail, so
    Typst lays the page out once); `context` goes with each item."""

    items: list[Any]
    context: Any = None
    tag: str | None = None  # tasks sharing a tag fail together after a crash or time-out


class JobFailed(Exception):
    """Raised by a worker's run() for a job that cannot be done: its message is the
    user's one line for that file."""


# on_result(task, index, result or None, error or None)
OnResult = Callable[[Task, int, Any, "str | None"], None]


@dataclass
class _Worker:
    process: Any
    conn: Connection
    log: Path
    task: Task | None = None
    index: int = -1
    started: float = 0.0
    ready: bool = False
    done: set[int] = field(default_factory=set)


class Supervisor:
    def __init__(
        self,
        workers: int,
        entry: str,
        init_args: tuple[Any, ...],
        tmp: Path,
        *,
        job_timeout: float = JOB_TIMEOUT,
        memory: int = JOB_MEMORY,
    ) -> None:
        """`entry` names a module with init(*init_args) and run(item, context) -> result;
        `tmp` is a folder for the workers' temporary files and logs."""
        self.size = workers
        self.entry = entry
        self.init_args = init_args
        self.tmp = tmp
        self.job_timeout = job_timeout
        self.memory = memory
        self.context = multiprocessing.get_context("spawn")
        self.workers: list[_Worker] = []
        self.spawned = 0
        self.strikes: Counter[str] = Counter()
        self.quarantined: dict[str, str] = {}
        self.fatal: str | None = None  # the workers cannot start at all

    def run(
        self, tasks: list[Task], on_result: OnResult, stop: Callable[[], bool] = lambda: False
    ) -> bool:
        """Run every task; False when stop() said to stop before they were all done."""
        queue = deque(tasks)
        try:
            while queue or any(w.task for w in self.workers):
                if stop():
                    return False
                self._assign(queue, on_result)
                self._wait(on_result, stop)
                self._enforce_time(on_result)
            return True
        finally:
            self.shutdown()

    # -- handing out work ---------------------------------------------------------------
    def _assign(self, queue: deque[Task], on_result: OnResult) -> None:
        while queue:
            task = queue[0]
            why = self.fatal or (self.quarantined.get(task.tag) if task.tag else None)
            if why:
                queue.popleft()
                for index in range(len(task.items)):
                    on_result(
                        task,
                        index,
                        None,
                        why
                        if self.fatal
                        else f"not built: another poster with the same logo failed ({why})",
                    )
                continue
            idle = next((w for w in self.workers if w.task is None), None)
            if idle is None:
                if len(self.workers) >= self.size:
                    return
                idle = self._start()
            queue.popleft()
            idle.task, idle.index, idle.done = task, -1, set()
            idle.conn.send((task.items, task.context))

    def _start(self) -> _Worker:
        self.spawned += 1
        log = self.tmp / f"worker-{self.spawned}.log"
        parent, child = self.context.Pipe(duplex=True)
        process = self.context.Process(
            target=_serve,
            daemon=True,
            args=(
                child,
                self.entry,
                self.init_args,
                self.memory,
                str(self.tmp),
                str(log),
                os.getpid(),
            ),
        )
        # Started with SIGINT and SIGTERM blocked, so the child inherits them blocked until
        # it has set its own handlers: a Ctrl-C during its start-up can never print a
        # KeyboardInterrupt traceback from inside a worker.
        blocked = {signal.SIGINT, signal.SIGTERM}
        masks = hasattr(signal, "pthread_sigmask")  # not on Windows
        old = signal.pthread_sigmask(signal.SIG_BLOCK, blocked) if masks else set()
        try:
            process.start()
        finally:
            if masks:
                signal.pthread_sigmask(signal.SIG_SETMASK, old)
        child.close()
        worker = _Worker(process, parent, log)
        self.workers.append(worker)
        return worker

    # -- hearing back -------------------------------------------------------------------
    def _wait(self, on_result: OnResult, stop: Callable[[], bool]) -> None:
        handles: dict[Any, _Worker] = {}
        for w in self.workers:
            handles[w.conn] = w
            handles[w.process.sentinel] = w
        # A short timeout: a stop request or a job past its time is seen within it.
        for handle in wait(list(handles), timeout=0.2):
            worker = handles[handle]
            if worker not in self.workers:
                continue
            # A message, or the end of the process (whose last messages are read first).
            if not self._drain(worker, on_result) or handle is worker.process.sentinel:
                self._died(worker, on_result)
            if stop():
                return

    def _drain(self, worker: _Worker, on_result: OnResult) -> bool:
        """Read every message waiting; False once the worker has gone."""
        try:
            while worker.conn.poll():
                self._message(worker, worker.conn.recv(), on_result)
        except (EOFError, OSError):
            return False
        return True

    def _message(self, worker: _Worker, message: tuple[Any, ...], on_result: OnResult) -> None:
        kind = message[0]
        if kind == "ready":
            worker.ready = True
        elif kind == "init-failed":
            self.fatal = message[1]
        elif kind == "start":
            worker.index, worker.started = message[1], time.monotonic()
        elif kind == "done" and worker.task is not None:
            worker.done.add(message[1])
            on_result(worker.task, message[1], message[2], message[3])
        elif kind == "idle":
            worker.task, worker.index = None, -1

    def _died(self, worker: _Worker, on_result: OnResult, why: str | None = None) -> None:
        self._stop(worker)
        self.workers.remove(worker)
        if why is None:
            why = self._death(worker)
        if not worker.ready and self.fatal is None and worker.task is not None:
            # It died before it could take any work: another would too.
            self.fatal = f"the renderer could not start ({why})"
        task = worker.task
        if task is None:
            return
        left = [i for i in range(len(task.items)) if i not in worker.done]
        if task.tag and worker.ready and left:
            self.strikes[task.tag] += 1
            if self.strikes[task.tag] >= STRIKES:
                self.quarantined.setdefault(task.tag, why)
        for index in left:
            if index == worker.index or not worker.ready:
                on_result(task, index, None, self.fatal if not worker.ready else why)
            else:
                on_result(task, index, None, f"not built: the same poster failed ({why})")

    def _death(self, worker: _Worker) -> str:
        code = worker.process.exitcode
        said = _last_line(worker.log)
        if code is not None and code < 0:
            name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
            what = (
                "the renderer was killed (SIGKILL, as the out-of-memory killer does)"
                if -code == signal.SIGKILL
                else f"the renderer crashed ({name})"
            )
        else:
            what = f"the renderer exited with code {code}"
        return f"{what}: {said}" if said else what

    def _enforce_time(self, on_result: OnResult) -> None:
        now = time.monotonic()
        for worker in list(self.workers):
            if (
                worker.task is not None
                and worker.index >= 0
                and worker.index not in worker.done
                and now - worker.started > self.job_timeout
            ):
                self._died(
                    worker, on_result, f"took longer than {self.job_timeout:g} s and was stopped"
                )

    # -- stopping -------------------------------------------------------------------------
    def _stop(self, worker: _Worker) -> None:
        with contextlib.suppress(OSError):
            worker.conn.close()
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(2)

    def shutdown(self) -> None:
        """Stop every worker now: SIGKILL, since a Typst compile does not look at signals
        and the parent is the one who cleans up."""
        for worker in self.workers:
            if worker.process.is_alive():
                worker.process.kill()
        for worker in self.workers:
            worker.process.join(2)
            with contextlib.suppress(OSError):
                worker.conn.close()
        self.workers.clear()


def _last_line(log: Path) -> str:
    try:
        lines = [line.strip() for line in log.read_text("utf-8", "replace").splitlines()]
    except OSError:
        return ""
    # A Rust panic names its cause first; a backtrace follows it.
    said = [
        line
        for line in lines
        if line
        and not line.startswith(("stack backtrace", "note:"))
        and not line[:1].isdigit()
        and not line.startswith("at ")
    ]
    return said[0][:300] if said else ""


# ---- inside a worker ------------------------------------------------------------------


def _serve(
    conn: Connection,
    entry: str,
    init_args: tuple[Any, ...],
    memory: int,
    tmp: str,
    log: str,
    parent: int,
) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    _die_with(parent)
    with open(log, "ab", buffering=0) as f:
        os.dup2(f.fileno(), 2)  # sys.stderr writes to fd 2: Python's messages go there too
    _limit_memory(memory)
    import tempfile

    # Typst's temporary folders (kit.render.poster) go where the parent removes them.
    tempfile.tempdir = tmp
    try:
        module = importlib.import_module(entry)
        module.init(*init_args)
    except Exception as e:  # noqa: BLE001 - whatever it is, the parent reports it and stops
        conn.send(("init-failed", _describe(e)))
        return
    conn.send(("ready",))
    while True:
        try:
            items, context = conn.recv()
        except (EOFError, OSError):
            return  # the parent has gone
        for index, item in enumerate(items):
            conn.send(("start", index))
            try:
                conn.send(("done", index, module.run(item, context), None))
            except JobFailed as e:
                conn.send(("done", index, None, str(e)))
            except MemoryError:
                conn.send(
                    (
                        "done",
                        index,
                        None,
                        f"ran out of memory (the limit is {memory // 2**20} MB per worker)",
                    )
                )
            except Exception as e:  # noqa: BLE001 - a bug in kit fails one file, not the build
                traceback.print_exc()
                conn.send(("done", index, None, f"internal error in kit: {_describe(e)}"))
        conn.send(("idle",))


def _describe(e: BaseException) -> str:
    return str(e) if getattr(e, "message", None) else f"{type(e).__name__}: {e}"


def _die_with(parent: int) -> None:
    """End this worker when the parent ends, even by SIGKILL."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before prctl took hold
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _limit_memory(limit: int) -> None:
    """Cap the worker's data (heap and anonymous mappings): past it an allocation fails,
    and Typst aborts rather than taking the machine's memory. Not RLIMIT_AS, which
    counts address space reserved but unused (each thread's malloc arena)."""
    with contextlib.suppress(ImportError, ValueError, OSError):  # no resource on Windows
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_DATA)
        cap = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (cap, hard))
