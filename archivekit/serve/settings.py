"""How a reading room is set up: fixed when it starts, never changed by a request."""

from dataclasses import dataclass
from pathlib import Path

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class Settings:
    """How the reading room was started: its collection, trust store, keys, and limits."""
    collection: Path
    trust_path: Path
    home: Path | None = None          # where keys live, for capture, amend and withdraw
    read_only: bool = False
    password: str | None = None       # None: no login (loopback only)
    max_upload: int = 32 << 20
