"""The reading room's background jobs (serve/jobs.py): work on a thread of its own, its
stage and result on the job, a failure kept in words, the oldest finished jobs forgotten
and a running one never. Real threads; the capture journey is tests/serve/test_app.py's."""

import threading
import time

from archivekit.errors import InputError
from archivekit.serve.jobs import Jobs


def finished(job, seconds=10):
    deadline = time.monotonic() + seconds
    while not job.done and time.monotonic() < deadline:
        time.sleep(0.01)
    return job.done


def test_work_runs_on_its_own_thread_and_leaves_its_result_on_the_job():
    jobs, release, seen = Jobs(), threading.Event(), {}

    def work(job):
        seen["thread"] = threading.current_thread()
        job.stage = "sealing"
        release.wait(10)
        job.package_id = "2026-01-01-a-clipping-12345678"
    job = jobs.start("A clipping", work)
    assert not job.done and jobs.get(job.id) is job     # start returned before the work ended
    release.set()
    assert finished(job)
    assert seen["thread"] is not threading.current_thread()
    assert (job.stage, job.package_id, job.error) == ("sealing", "2026-01-01-a-clipping-12345678", None)
    assert jobs.get("no-such-job") is None


def test_a_failure_is_kept_in_words():
    jobs = Jobs()

    def refused(job):
        raise InputError("clip.txt: not UTF-8 text")

    def crashed(job):
        raise ValueError("a bug")
    said = [jobs.start(name, work) for name, work in (("refused", refused), ("crashed", crashed))]
    assert all(finished(job) for job in said)
    assert [job.error for job in said] == ["clip.txt: not UTF-8 text", "ValueError: a bug"]


def test_the_oldest_finished_jobs_are_forgotten_and_a_running_one_never():
    jobs, release = Jobs(limit=4), threading.Event()
    running = jobs.start("still running", lambda job: release.wait(10))
    done = [jobs.start(f"done {i}", lambda job: None) for i in range(3)]
    assert all(finished(job) for job in done)
    newest = jobs.start("newest", lambda job: None)
    assert jobs.get(running.id) is running and jobs.get(newest.id) is newest
    assert [jobs.get(job.id) for job in done[:2]] == [None, None]    # limit // 2 forgotten
    assert jobs.get(done[2].id) is done[2]
    release.set()
