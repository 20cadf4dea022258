"""Hashing on a second thread, in order, beside the thread that reads and inflates.

hashlib and the inflaters release the GIL on large buffers, so on two cores the reading
thread can inflate while this one feeds digests. Jobs run strictly in the order they
were submitted, so a job that reads a digest runs after every update to it. The queue
is bounded: at most DEPTH jobs (each holding one chunk of at most ~1 MiB) wait.
"""

import queue
import threading

DEPTH = 16


class HashPipe:
    """A thread that runs hashing jobs in order beside the caller (hashlib releases the GIL
    on large buffers); at most DEPTH jobs wait."""
    def __init__(self):
        self._queue = queue.Queue(maxsize=DEPTH)
        self._error = None
        self._thread = threading.Thread(target=self._run, name="archivekit-hashing", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (job := self._queue.get()) is not None:
            function, args = job
            if self._error is None:
                try:
                    function(*args)
                except BaseException as exc:   # handed to the caller by finish()
                    self._error = exc

    def submit(self, function, *args) -> None:
        """Queue `function(*args)`; blocks while DEPTH jobs wait. A failure is raised by
        finish()."""
        self._queue.put((function, args))

    def finish(self) -> None:
        """Wait for every job; re-raise the first one that failed."""
        self._queue.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error
