"""A seal's RFC 3161 token (`<seal>.tsr`): when it checks out, its time is the seal's
proven time, and key validity and revocation are judged at that time."""

from archivekit.formats import layout
from archivekit._internal.timeutil import format_time


def proven_time(view, path, signature, grounds, report, result):
    """The RFC 3161 token's time, if the seal has a token that checks out."""
    token_path = layout.companion(path, "tsr")
    if token_path not in view.reader.entries:
        return None
    token = view.read_tag(token_path, report)
    if token is None:
        return None
    from archivekit.trust.timestamp import TimestampInvalid, verify_token
    try:
        proven = verify_token(token, signature, [cert for _, cert in grounds.trust.tsa_roots])
    except TimestampInvalid as exc:
        report.add("AK520", f"the timestamp does not prove the seal time: {exc}", path=token_path)
        return None
    result.proven_time, result.tsa = format_time(proven.time), proven.tsa
    return proven.time
