"""The reading room's defences, in one place: headers, CSRF, login, and safe names.

Pages of the application allow nothing but their own stylesheet. A stored page (a saved
HTML clipping) is never shown in the application's origin: it is served with a CSP
`sandbox` (an opaque origin, no script) and `default-src 'none'` (no request leaves the
browser), inside an <iframe sandbox>.
"""

import hmac
import re
import secrets

from flask import abort, request, session

APP_CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; frame-src 'self'; "
           "form-action 'self'; base-uri 'none'; frame-ancestors 'self'")
STORED_PAGE_CSP = ("sandbox; default-src 'none'; style-src 'unsafe-inline'; "
                   "img-src data:; font-src data:; form-action 'none'; base-uri 'none'")
STORED_IMAGE_CSP = "default-src 'none'; sandbox"

PACKAGE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$")


def add_headers(response, stored: bool = False):
    """The defensive headers of every answer; a stored page (`stored`) gets the sandbox CSP."""
    response.headers["Content-Security-Policy"] = STORED_PAGE_CSP if stored else APP_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    return response


def csrf_token() -> str:
    """This browser session's CSRF token, made on first use."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def check_csrf() -> None:
    """Every state-changing request carries the token of this browser's session."""
    sent = request.form.get("csrf", "")
    if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
        abort(400, "This form has expired or did not come from the reading room. "
                   "Go back, reload the page, and try again.")


def local_path(target: str | None) -> str:
    """`target` if it is a path on this site, else "/": where a login sends the browser
    next must not be another site. Browsers drop tabs and line ends from an address and
    read a backslash as a slash: "next=/%09/evil.example" was "//evil.example"."""
    if target and re.fullmatch(r"/(?!/)[!-~]*", target) and "\\" not in target:
        return target
    return "/"


def password_matches(given: str, expected: str) -> bool:
    """Whether the password matches, compared in constant time."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def checked_package_id(value: str) -> str:
    """A package id from a URL, before it goes anywhere near the catalog or the disk."""
    if not PACKAGE_ID.match(value or ""):
        abort(404)
    return value
