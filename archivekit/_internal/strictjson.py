"""JSON that is hashed and signed: strict in, canonical out.

Strict means UTF-8, no duplicate keys (Python's json keeps the last one silently),
integers only (no floats, NaN or Infinity), every string in Unicode NFC, and objects
and arrays nested at most Limits.nesting deep (whoever walks the value recurses).
"""

import json
import unicodedata

from archivekit._internal.limits import Limits


class StrictJSONError(ValueError):
    """JSON that strict reading refuses (see the module for what it refuses)."""
    pass


def _no_duplicates(pairs):
    result = dict(pairs)   # built in C; a duplicate shows as a shorter dict
    if len(result) != len(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:
                raise StrictJSONError(f"duplicate key {key!r}")
            seen.add(key)
    return result


def _reject_float(text):
    raise StrictJSONError(f"non-integer number {text}")


def _reject_constant(text):
    raise StrictJSONError(f"non-standard constant {text}")


def _check_nfc(value, where="$"):
    if isinstance(value, str):
        if unicodedata.normalize("NFC", value) != value:
            raise StrictJSONError(f"string at {where} is not in Unicode NFC")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_nfc(key, where)
            _check_nfc(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_nfc(item, f"{where}[{index}]")


def _nested_within(value, depth: int) -> bool:
    """Whether no object or array lies more than `depth` levels down (level by level,
    without recursion)."""
    level = [value]
    for _ in range(depth):
        level = [child for item in level if isinstance(item, (dict, list))
                 for child in (item.values() if isinstance(item, dict) else item)]
        if not level:
            return True
    return not any(isinstance(item, (dict, list)) for item in level)


def loads(data: bytes, max_depth: int = Limits.nesting):
    """Parse strict JSON bytes; raise StrictJSONError naming the problem."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise StrictJSONError(f"not UTF-8 ({exc.reason} at byte {exc.start})") from None
    if text.startswith("\ufeff"):
        raise StrictJSONError("starts with a byte order mark")
    try:
        value = json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_float=_reject_float,
            parse_constant=_reject_constant,
        )
    except json.JSONDecodeError as exc:
        raise StrictJSONError(f"{exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise StrictJSONError(f"nested more than {max_depth} levels deep") from None
    # Fast path: fewer brackets than levels allowed cannot nest too deep.
    if text.count("[") + text.count("{") > max_depth and not _nested_within(value, max_depth):
        raise StrictJSONError(f"nested more than {max_depth} levels deep")
    # Fast path: NFC text without \u escapes can only hold NFC strings.
    if "\\u" in text or not unicodedata.is_normalized("NFC", text):
        _check_nfc(value)
    return value


def normalize(value):
    """Return a copy with every string in NFC; reject floats (callers round first)."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, dict):
        return {normalize(str(k)): normalize(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [normalize(v) for v in value]
    raise StrictJSONError(f"cannot store {type(value).__name__} in strict JSON")


_encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def dumps(value, compact: bool = False) -> bytes:
    """Canonical bytes: NFC strings, sorted keys, `\n` at the end. `compact` is one line,
    for machines; otherwise, for people, each field of the top object and each field or
    item of its objects and lists is on a line of its own (one record per line), deeper
    values compact. Every piece is written by json's C encoder: `indent=` would switch
    to its Python encoder, which made writing package.json a fifth of capture's time."""
    value = normalize(value)
    if compact:
        text = _encode(value)
    else:
        text = _lines(value)
    return text.encode("utf-8") + b"\n"


def _lines(value, depth: int = 0) -> str:
    """Objects and lists on lines of their own down to depth 2; deeper values compact."""
    if depth >= 2 or not value or not isinstance(value, (dict, list)):
        return _encode(value)
    indent, inner = "  " * depth, "  " * (depth + 1)
    if isinstance(value, dict):
        items = [f"{inner}{_encode(k)}: {_lines(value[k], depth + 1)}" for k in sorted(value)]
        return "{\n" + ",\n".join(items) + f"\n{indent}}}"
    items = [f"{inner}{_lines(item, depth + 1)}" for item in value]
    return "[\n" + ",\n".join(items) + f"\n{indent}]"
