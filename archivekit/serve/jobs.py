"""Long work started from a page (a capture) runs on a thread; its page shows how far it
has come and opens the new package when it is sealed."""

import threading
import uuid
from dataclasses import dataclass, field


@dataclass
class Job:
    """A capture or amendment the reading room runs in the background, as its page shows it."""
    id: str
    title: str
    stage: str = "waiting"
    done: bool = False
    error: str | None = None
    package_id: str | None = None
    notes: list[str] = field(default_factory=list)


class Jobs:
    """The background jobs of this process, the newest `limit` kept."""
    def __init__(self, limit: int = 100):
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._limit = limit

    def start(self, title: str, work) -> Job:
        """Run `work(job)` on a thread; it sets job.stage as it goes and job.package_id."""
        job = Job(uuid.uuid4().hex, title)
        with self._lock:
            if len(self._jobs) >= self._limit:   # forget the oldest finished
                for key in [k for k, j in self._jobs.items() if j.done][: self._limit // 2]:
                    del self._jobs[key]
            self._jobs[job.id] = job

        def run():
            try:
                work(job)
            except Exception as exc:   # shown on the job's page, in words
                job.error = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
            finally:
                job.done = True
        threading.Thread(target=run, daemon=True).start()
        return job

    def get(self, job_id: str) -> Job | None:
        """The job with this id, or None when it is unknown or no longer kept."""
        with self._lock:
            return self._jobs.get(job_id)
