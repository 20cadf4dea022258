"""A seal's RFC 3161 token (`<seal>.tsr`): when it checks out, its time is the seal's
proven time, and key validity and revocation are judged at that time."""

from archivekit.formats import layout


def proven_time(view, path, signature, trust, report):
    """The seal's proven time (a ProvenTime: when, and by which TSA), if it has an RFC 3161
    token that checks out against the TSA roots in `trust`; else None."""
    token_path = layout.companion(path, "tsr")
    if token_path not in view.reader.entries:
        return None
    token = view.read_tag(token_path, report)
    if token is None:
        return None
    from archivekit.trust.timestamp import TimestampInvalid, verify_token
    try:
        return verify_token(token, signature, [cert for _, cert in trust.tsa_roots])
    except TimestampInvalid as exc:
        report.add("AK520", f"the timestamp does not prove the seal time: {exc}", path=token_path)
        return None
