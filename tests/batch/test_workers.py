"""Worker processes that crash, hang, run out of memory or are killed: each fails only its
own job, the worker is replaced, the rest are done, and a stop is obeyed at once."""

from __future__ import annotations

import time

import pytest

from kit.batch.workers import Supervisor, Task


def run(tmp_path, tasks, workers=2, stop=lambda: False, **limits):
    notes = tmp_path / "notes"
    notes.touch()
    results = {}

    def record(task, index, result, error):
        results[task.items[index]] = (result, error)

    supervisor = Supervisor(workers, "tests.batch.faulty_worker", (str(notes),), tmp_path, **limits)
    finished = supervisor.run(tasks, record, stop)
    return finished, results, notes.read_text().split(), supervisor


def test_a_crash_a_hang_a_kill_and_a_memory_hog_fail_only_their_own_jobs(tmp_path):
    tasks = [Task([f"ok{i}"]) for i in range(6)]
    tasks[1:1] = [Task(["abort"]), Task(["hang"]), Task(["kill"]), Task(["hog"]), Task(["bad"])]
    finished, results, tried, supervisor = run(tmp_path, tasks, job_timeout=3, memory=512 * 2**20)
    assert finished
    assert all(results[f"ok{i}"][1] is None for i in range(6))
    assert results["abort"][1] == (
        "the renderer crashed (SIGABRT): memory allocation of 20611600000000 bytes failed"
    )
    assert results["hang"][1] == "took longer than 3 s and was stopped"
    assert results["kill"][1].startswith("the renderer was killed (SIGKILL")
    assert results["hog"][1] == "ran out of memory (the limit is 512 MB per worker)"
    assert results["bad"][1] == "bad: refused"
    assert supervisor.spawned >= 4  # deaths replaced while work remained
    assert supervisor.workers == []  # all stopped at the end


def test_after_a_crash_the_rest_of_its_task_and_after_two_its_tag_are_not_tried(tmp_path):
    tasks = [
        Task(["abort", "after-abort"], tag="logo-1"),
        Task(["ok"]),
        Task(["ok-1"], tag="logo-1"),
        Task(["abort-again"], tag="logo-1"),
        Task(["same-logo"], tag="logo-1"),
        Task(["other-logo"], tag="logo-2"),
    ]
    _, results, tried, _ = run(tmp_path, tasks, workers=1)
    assert "after-abort" not in tried and "same-logo" not in tried
    assert results["after-abort"][1].startswith(
        "not built: the same poster failed (the renderer crashed"
    )
    # One death may be the OOM killer's choice: the logo's next poster is still tried.
    assert results["ok-1"][1] is None
    assert results["same-logo"][1].startswith("not built: another poster with the same logo failed")
    assert results["ok"][1] is None and results["other-logo"][1] is None


def test_a_worker_that_cannot_start_fails_everything_once(tmp_path):
    notes = tmp_path / "notes"
    results: dict[str, str | None] = {}
    supervisor = Supervisor(2, "tests.batch.faulty_worker", (str(notes), True), tmp_path)

    def first_error(task: Task, index: int, result: object, error: str | None) -> None:
        results.setdefault(task.items[index], error)

    assert supervisor.run([Task([f"x{i}"]) for i in range(5)], first_error)
    assert set(results.values()) == {"RuntimeError: cannot load the campaign"}
    assert supervisor.spawned <= 2  # not one start per job


def test_a_stop_is_obeyed_at_once(tmp_path):
    began = time.monotonic()
    finished, results, _, supervisor = run(
        tmp_path,
        [Task(["hang1"]), Task(["hang2"]), Task(["ok"])],
        stop=lambda: time.monotonic() - began > 2.0,
    )
    assert not finished
    assert time.monotonic() - began < 4.5  # two seconds of work, then the stop
    assert "hang1" not in results and supervisor.workers == []


@pytest.mark.parametrize("workers", [1, 2])
def test_every_item_is_reported_exactly_once(tmp_path, workers):
    tasks = [Task([f"a{i}", f"b{i}"]) for i in range(5)] + [Task(["abort", "x"])]
    _, results, _, _ = run(tmp_path, tasks, workers=workers)
    assert set(results) == {f"{c}{i}" for c in "ab" for i in range(5)} | {"abort", "x"}
