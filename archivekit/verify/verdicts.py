"""What a librarian should do about a report: one verdict per package, from its findings.

    verified        no error (warnings may say what to tend to)
    content changed the bytes differ from what was sealed, or are damaged
    not trusted     the content is intact, but no key you trust vouches
                    for it now (unknown, retired or compromised key, an
                    unproven time, a log proof that cannot be believed)
    could not check the verifier failed before it could judge, or a reading limit
                    stopped it
    not a package   what was named is no package (a clipping's own file, say)

docs/verification.md lists which finding leads to which verdict (and the command line's
exit code for each, which cli/verify.py owns).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Verdict:
    """A verdict's name and what to do about it."""
    name: str
    remedy: str


VERIFIED = Verdict("verified", "")
CHANGED = Verdict("content changed",
                  "the package differs from what was sealed or is damaged: restore it from "
                  "a replica, and keep this one as evidence")
NOT_TRUSTED = Verdict("not trusted",
                      "the content is intact; what is missing is a reason to trust who "
                      "vouched for it (see each finding's remedy, and docs/trust.md)")
NOT_CHECKED = Verdict("could not check",
                      "the verifier failed before it could judge the package: run it again, "
                      "and report the AK199 finding if it stays")
NOT_A_PACKAGE = Verdict("not a package",
                        "this is not an archivekit package (the finding says what it is): "
                        "name a package's folder, .zip or .tar file; a file to keep is "
                        "captured into a package first")
TOO_LARGE = Verdict("could not check",
                    "a reading limit stopped the check before the end (the finding names "
                    "it): if you trust where the package came from, raise that limit and "
                    "verify again (docs/verification.md, 'Limits')")

# Errors about who vouches and when, not about the bytes.
TRUST_CODES = frozenset({"AK501", "AK507", "AK509", "AK510", "AK514", "AK516", "AK520",
                         "AK531", "AK532"})

# A file that cannot be read (AK207) is judged damaged: a zip member's CRC error and a
# failing disk both read that way, and a replica is the remedy for both.
UNCHECKED_CODES = frozenset({"AK199"})
# A reading limit (AK108) says the package is larger or deeper than this verifier reads,
# not that it changed: nothing was judged past it.
LIMIT_CODES = frozenset({"AK108"})
# Not a package at all (AK116: a text file, an image...): nothing to restore from a replica.
NOT_A_PACKAGE_CODES = frozenset({"AK116"})


def verdict_for(error_codes: set[str]) -> Verdict:
    """The verdict for a package with these error codes: verified with none; not a
    package when it is none (AK116); changed when
    any is not about trust, a part left unchecked or a reading limit; else not checked,
    too large or not trusted, in that order."""
    if not error_codes:
        return VERIFIED
    if error_codes & NOT_A_PACKAGE_CODES:
        return NOT_A_PACKAGE
    if error_codes - TRUST_CODES - UNCHECKED_CODES - LIMIT_CODES:
        return CHANGED
    if error_codes & UNCHECKED_CODES:
        return NOT_CHECKED
    if error_codes & LIMIT_CODES:
        return TOO_LARGE
    return NOT_TRUSTED
