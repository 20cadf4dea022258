"""What a cataloguer supplies beside a clipping (subjects, notes, rights, call number...).

A YAML mapping, stored as given in the descriptor's `catalog`. Dates become
RFC 3339 strings; floats are refused (quote them) so that nothing is rounded.
"""

import datetime
from pathlib import Path

import yaml

from archivekit._internal import safeyaml
from archivekit._internal.fsutil import read_regular
from archivekit._internal.limits import Limits
from archivekit.errors import InputError, UsageError


def _plain(value, where: str):
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        raise UsageError(f"{where}: the number {value!r} is not a whole number; "
                         "put it in quotes to keep it exactly as written")
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {str(k): _plain(v, f"{where}.{k}") for k, v in value.items()}
    raise UsageError(f"{where}: cannot store a {type(value).__name__}")


def load_catalog(path: str | Path) -> dict:
    path = Path(path)
    try:
        text = read_regular(path, Limits().config_bytes).decode("utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such catalog file") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: catalog file is not UTF-8") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    return parse_catalog(text, str(path))


def parse_catalog(text: str, where: str) -> dict:
    try:
        value = safeyaml.load(text)
    except yaml.YAMLError as exc:
        raise UsageError(f"{where}: not valid YAML: {exc}") from None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise UsageError(f"{where}: a catalog must be a mapping of fields to values")
    return _plain(value, where)
