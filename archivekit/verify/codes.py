"""Finding codes: stable, documented in docs/verification.md. Never renumber."""

CODES = {
    # AK1xx structure
    "AK100": "package cannot be opened or listed",
    "AK101": "bagit.txt missing",
    "AK102": "bagit.txt malformed or wrong version/encoding",
    "AK103": "required file missing",
    "AK104": "unsafe path",
    "AK105": "link, device or other special file",
    "AK106": "names collide after Unicode normalisation or case folding",
    "AK107": "unexpected file not covered by the tag manifests",
    "AK108": "container limit exceeded or entry outside the bag directory",
    "AK109": "bag-info.txt malformed or missing a required field",
    "AK199": "verification could not complete (a verifier defect; please report it)",
    # AK2xx fixity
    "AK201": "file listed in a manifest is missing",
    "AK202": "payload file not listed in a manifest",
    "AK203": "payload file digest mismatch",
    "AK204": "Payload-Oxum mismatch",
    "AK205": "tag file digest mismatch",
    "AK206": "manifest line malformed",
    "AK207": "file could not be read",
    # AK3xx WARC
    "AK301": "gzip member corrupt",
    "AK302": "gzip member truncated",
    "AK303": "WARC file is not gzip",
    "AK304": "WARC record syntax error",
    "AK305": "WARC record lacks a required field",
    "AK306": "WARC block digest mismatch",
    "AK307": "WARC payload digest mismatch",
    "AK308": "WARC digest missing or unreadable",
    "AK309": "WARC records disagree with the descriptor's inventory",
    "AK310": "gzip member does not hold exactly one record",
    "AK311": "warcinfo record missing or not first",
    "AK312": "conversion record does not refer to a source record or disagrees with the descriptor",
    # AK4xx descriptor
    "AK401": "descriptor is not strict JSON",
    "AK402": "descriptor schema violation",
    "AK403": "unknown package format",
    "AK404": "package id disagreement",
    "AK405": "metadata record differs from descriptor metadata",
    # AK5xx seal and trust
    "AK501": "no seal",
    "AK502": "seal envelope malformed",
    "AK503": "seal payloadType wrong",
    "AK504": "seal statement malformed",
    "AK505": "seal does not match the tag manifests",
    "AK506": "seal names another package",
    "AK507": "seal not signed by a trusted key",
    "AK508": "seal signature invalid for the key it names",
    "AK509": "signing key not valid at seal time",
    "AK510": "signing key revoked at or before seal time",
    "AK511": "seal Payload-Oxum differs from bag-info.txt",
    "AK512": "key material or unknown fields in a seal ignored",
    "AK513": "unexpected file in signatures/",
    "AK514": "signing key revoked after seal time (seal time is the signer's claim)",
    "AK515": "statement's signer differs from the key that signed",
    "AK520": "timestamp token invalid (status, imprint, TSA chain, EKU or signature)",
    "AK530": "transparency-log inclusion proof invalid",
    "AK531": "transparency-log checkpoint not signed by a trusted key",
    "AK532": "package not shown to be in the given log checkpoint",
    # AK6xx provenance
    "AK601": "events missing, out of order or malformed",
    "AK602": "sources disagree with the WARC records",
    "AK603": "package created after it was sealed",
    "AK604": "seal dated in the future",
}


def title(code: str) -> str:
    return CODES.get(code, "unknown finding")
