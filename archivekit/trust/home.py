"""Where archivekit keeps its configuration: keys, trust store, defaults.

`$ARCHIVEKIT_HOME` if set, else `$XDG_CONFIG_HOME/archivekit`, else `~/.config/archivekit`.
"""

import fcntl
import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

from archivekit.errors import UsageError
from archivekit._internal import safeyaml
from archivekit._internal.fsutil import atomic_write_bytes, own_file, read_regular
from archivekit._internal.limits import Limits


@dataclass(frozen=True)
class Home:
    """The configuration folder: private keys, the trust store, settings, and the lock that
    keeps two commands from changing them at once."""
    root: Path

    @classmethod
    def locate(cls, explicit: str | None = None) -> "Home":
        """The home at `explicit`, else $ARCHIVEKIT_HOME, else $XDG_CONFIG_HOME/archivekit
        (~/.config/archivekit)."""
        if explicit:
            return cls(Path(explicit))
        if os.environ.get("ARCHIVEKIT_HOME"):
            return cls(Path(os.environ["ARCHIVEKIT_HOME"]))
        base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(Path.home(), ".config")
        return cls(Path(base) / "archivekit")

    @property
    def keys_dir(self) -> Path:
        """The folder of private keys (mode 0700)."""
        return self.root / "keys"

    @property
    def trust_path(self) -> Path:
        """The trust store (trust.yaml)."""
        return self.root / "trust.yaml"

    @property
    def config_path(self) -> Path:
        """The settings file (config.yaml)."""
        return self.root / "config.yaml"

    @contextmanager
    def lock(self):
        """Serialise changes to keys, trust store and config between processes."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield

    def config(self) -> dict:
        """The settings (default key and the like); empty when there is no file yet."""
        if not self.config_path.exists():
            return {}
        try:
            value = safeyaml.load(read_regular(self.config_path, Limits().config_bytes)
                                  .decode("utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise UsageError(f"{self.config_path}: not valid YAML: {exc}") from None
        if not isinstance(value, dict):
            raise UsageError(f"{self.config_path}: expected a mapping at the top")
        return value

    def set_config(self, **values) -> None:
        """Change settings, written atomically; the others are kept."""
        config = self.config()
        config.update(values)
        atomic_write_bytes(own_file(self.config_path),
                           yaml.safe_dump(config, sort_keys=True).encode("utf-8"))
