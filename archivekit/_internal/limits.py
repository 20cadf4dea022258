"""How much an untrusted input may cost: one Limits policy, one Budget per package.

A small file can expand without bound (a zip bomb, a sparse tar member, 200,000 empty
WARC records, a YAML billion laughs). Every reader of a package draws on the same
Budget, so no reader can forget a limit; crossing one raises LimitExceeded, which the
verifier reports as a finding and the other commands as a clear error.
"""

import time
from dataclasses import dataclass

MiB, GiB = 1 << 20, 1 << 30


@dataclass(frozen=True)
class Limits:
    """The defaults fit any clipping with room to spare; docs/verification.md says how
    to raise them."""
    # Bytes read from one package after decompression: payload, tag files and seals.
    inflated_bytes: int = 4 * GiB
    # A zip, and the WARC in a package, may inflate to this many times their stored
    # size, plus `expansion_allowance`: a zip of a clipping (an already-compressed WARC,
    # PDFs, images) stays near 1:1 and its WARC near 5:1 (HTML); a bomb runs to 1000:1.
    expansion: int = 20
    expansion_allowance: int = 64 * MiB
    # Members of a container, and records of its WARC.
    entries: int = 10_000
    records: int = 10_000
    # A tag file (package.json, manifests, bag-info.txt) and a seal, read whole.
    tag_file_bytes: int = 16 * MiB
    seal_bytes: int = 1 * MiB
    # WARC metadata and warcinfo blocks are kept to compare with the descriptor; kept
    # blocks and tag files together are what a package may hold in memory.
    kept_block_bytes: int = 4 * MiB
    kept_bytes: int = 64 * MiB
    # Folders in a path; nesting of JSON and YAML documents; YAML aliases.
    depth: int = 32
    nesting: int = 64
    aliases: int = 16
    # A configuration or sidecar file (YAML trust store, catalog, manifest).
    config_bytes: int = 4 * MiB
    # Wall time to read one package.
    seconds: float = 600.0

    @classmethod
    def names(cls) -> list[str]:
        """The names of the limits, as Limits.replace takes them."""
        return list(cls.__dataclass_fields__)

    def replace(self, **changes) -> "Limits":
        """A copy with some limits changed (unknown names are a ValueError)."""
        unknown = set(changes) - set(self.names())
        if unknown:
            raise ValueError(f"unknown limit {', '.join(sorted(unknown))}; "
                             f"the limits are {', '.join(self.names())}")
        values = {name: getattr(self, name) for name in self.names()}
        values.update(changes)
        return Limits(**values)


class LimitExceeded(ValueError):
    """An input would cost more than a limit allows; names the limit and its value.
    A ValueError: whoever treats bad input as one handles this too."""

    def __init__(self, limit: str, value, what: str):
        super().__init__(f"{what}: over the {limit} limit ({value})")
        self.limit, self.value, self.what = limit, value, what


class Budget:
    """What one package has spent of its Limits: inflated bytes and wall time."""

    def __init__(self, limits: Limits | None = None):
        self.limits = limits or Limits()
        self.inflated = 0
        self.kept = 0
        self.inflated_cap = self.limits.inflated_bytes
        self.deadline = time.monotonic() + self.limits.seconds

    def cap_expansion(self, stored_bytes: int) -> None:
        """A compressed container of `stored_bytes`: cap what it may inflate to."""
        self.inflated_cap = min(self.inflated_cap, self.limits.expansion * stored_bytes
                                + self.limits.expansion_allowance)

    def spend(self, count: int, what: str) -> None:
        """Count `count` bytes read (after decompression) from `what`."""
        self.inflated += count
        if self.inflated > self.inflated_cap:
            limit = ("inflated_bytes" if self.inflated_cap == self.limits.inflated_bytes
                     else "expansion")
            raise LimitExceeded(limit, self.inflated_cap, f"{what}: more than "
                                f"{self.inflated_cap} bytes inflated")
        self.check_time(what)

    def keep(self, count: int, what: str) -> None:
        """Count `count` bytes held in memory for later checks."""
        self.kept += count
        if self.kept > self.limits.kept_bytes:
            raise LimitExceeded("kept_bytes", self.limits.kept_bytes,
                                f"{what}: more than {self.limits.kept_bytes} bytes held")

    def check_time(self, what: str) -> None:
        """Raise LimitExceeded once reading has taken longer than `seconds` allows."""
        if time.monotonic() > self.deadline:
            raise LimitExceeded("seconds", self.limits.seconds, f"{what}: reading took "
                                f"more than {self.limits.seconds:g} s")


class BudgetedStream:
    """A binary stream whose reads are charged to a Budget."""

    def __init__(self, stream, budget: Budget, what: str):
        self.stream, self.budget, self.what = stream, budget, what

    def read(self, size: int = -1) -> bytes:
        """Read up to `size` bytes (all when -1), charged to the budget."""
        data = self.stream.read(size)
        self.budget.spend(len(data), self.what)
        return data

    def seek(self, offset: int) -> int:
        """Skip to `offset` without reading what lies between (nothing is charged)."""
        return self.stream.seek(offset)

    def close(self) -> None:
        """Close the stream beneath."""
        self.stream.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
