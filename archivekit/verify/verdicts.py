"""What a librarian should do about a report: one verdict per package, from its findings.

    verified        no error (warnings may say what to tend to)          exit 0
    content changed the bytes differ from what was sealed, or are damaged exit 1
    not trusted     the content is intact, but no key you trust vouches   exit 1
                    for it now (unknown, retired or compromised key, an
                    unproven time, a log proof that cannot be believed)
    could not check a file could not be read, or the verifier failed      exit 3

docs/verification.md lists which finding leads to which verdict.
"""

from dataclasses import dataclass

from archivekit.errors import EXIT_CANNOT_RUN, EXIT_FAILED, EXIT_OK


@dataclass(frozen=True)
class Verdict:
    name: str
    exit_code: int
    remedy: str


VERIFIED = Verdict("verified", EXIT_OK, "")
CHANGED = Verdict("content changed", EXIT_FAILED,
                  "the package differs from what was sealed or is damaged: restore it from "
                  "a replica, and keep this one as evidence")
NOT_TRUSTED = Verdict("not trusted", EXIT_FAILED,
                      "the content is intact; what is missing is a reason to trust who "
                      "vouched for it (see each finding's remedy, and docs/trust.md)")
NOT_CHECKED = Verdict("could not check", EXIT_CANNOT_RUN,
                      "a file could not be read or the verifier failed: check the storage "
                      "and run the verification again")

# Errors about who vouches and when, not about the bytes.
TRUST_CODES = frozenset({"AK501", "AK507", "AK509", "AK510", "AK514", "AK516", "AK520",
                         "AK531", "AK532"})
UNCHECKED_CODES = frozenset({"AK199", "AK207"})


def verdict_for(error_codes: set[str]) -> Verdict:
    if not error_codes:
        return VERIFIED
    if error_codes - TRUST_CODES - UNCHECKED_CODES:
        return CHANGED
    if error_codes & UNCHECKED_CODES:
        return NOT_CHECKED
    return NOT_TRUSTED


def exit_code_for(verdicts: list[Verdict]) -> int:
    """A failed check outranks one that could not run: exit 1, else 3, else 0."""
    codes = {v.exit_code for v in verdicts}
    return EXIT_FAILED if EXIT_FAILED in codes else max(codes, default=EXIT_OK)
