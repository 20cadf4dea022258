"""The reading room: a small Flask application over a collection.

Routes are thin: each asks the library (collection, package, verify) and renders a
template. Jinja2 escapes every value, so text from a package never becomes markup.
"""

import contextlib
import io
import json
import secrets
import sqlite3
import tempfile
from pathlib import Path

from flask import (Flask, abort, g, make_response, redirect, render_template, request, send_file, session,
                   url_for)

from archivekit._internal.software import __version__
from archivekit.collection import browse
from archivekit.collection.store import Collection
from archivekit.serve import security
from archivekit.errors import ArchivekitError
from archivekit.serve.clipping import Clipping, read_clipping, source_bytes
from archivekit.serve.jobs import Jobs
from archivekit.serve.settings import Settings
from archivekit._internal.timeutil import format_time, utc_now
from archivekit.verify.render import seal_sentence

INLINE_IMAGES = {"image/png", "image/jpeg", "image/gif", "image/webp"}


def create_app(settings: Settings) -> Flask:
    """The application for one collection. `settings` is frozen: nothing a request sends
    can change where the app reads or whether it may write."""
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secrets.token_bytes(32),
        MAX_CONTENT_LENGTH=settings.max_upload,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=settings.password is not None,
        SESSION_COOKIE_NAME="archivekit_session",
    )
    app.jinja_env.finalize = lambda value: "" if value is None else value   # never "None" on a page
    collection = Collection.open(settings.collection, reading=settings.read_only)
    collection.index().close()   # an older catalog is brought up to date before any page
    try:
        _prepare(collection)
    except sqlite3.OperationalError as exc:     # a read-only snapshot: browse a copy
        collection.read_catalog_copy(exc)
        _prepare(collection)
    app.config["CATALOG_COPY"] = collection.catalog_copy     # the CLI says so

    @app.before_request
    def guard():
        g.settings = settings
        if settings.password is not None and not session.get("signed_in") \
                and request.endpoint not in ("login", "static"):
            return redirect(url_for("login", next=request.path))
        if request.method == "POST" and request.endpoint != "login":
            security.check_csrf()
        return None

    @app.after_request
    def headers(response):
        return security.add_headers(response, stored=getattr(g, "stored_page", False))

    @app.context_processor
    def common():
        return {"csrf": security.csrf_token, "seal_sentence": seal_sentence, "collection_name": collection.name,
                "read_only": settings.read_only, "version": __version__,
                "signed_in": session.get("signed_in", False)}

    @app.route("/login", methods=["GET", "POST"])
    def login():
        problem = None
        if request.method == "POST":
            security.check_csrf()
            if settings.password is not None and security.password_matches(
                    request.form.get("password", ""), settings.password):
                session["signed_in"] = True
                return redirect(security.local_path(request.args.get("next")))
            problem = "That password is not right."
        return render_template("login.html", problem=problem), (401 if problem else 200)

    @app.route("/")
    def home():
        filters = browse.Selection(**{k: request.args.get(k) or None
                                    for k in ("publisher", "year", "audit", "text")},
                                 withdrawn=request.args.get("withdrawn") == "1")
        with _db(collection) as db:
            page = browse.newest(db, filters, request.args.get("after"))
            facets = browse.facet_counts(db, filters)
        return render_template("browse.html", page=page, facets=facets, filters=filters)

    @app.route("/p/<package_id>")
    def clipping(package_id):
        found, row = _clipping(collection, package_id)
        return render_template("clipping.html", c=found, row=row, report=None)

    @app.route("/p/<package_id>/verify", methods=["POST"])
    def verify_now(package_id):
        found, row = _clipping(collection, package_id)
        report = _verify(found.path, settings)
        return render_template("clipping.html", c=found, row=row, report=report)

    @app.route("/p/<package_id>/source/<int:index>")
    def source(package_id, index):
        found, _ = _clipping(collection, package_id)
        if index >= len(found.sources):
            abort(404)
        if found.sources[index].kind == "bag":
            abort(409, "This source is a BagIt bag, kept as its folder inside the package: "
                       "download the whole package (zip) to have it.")
        data = source_bytes(found, index)
        if data is None:
            abort(409, "The stored bytes of this source do not match their recorded digest, "
                       "or are too large to serve here; verify the package.")
        kind = found.sources[index].media_type.split(";")[0].strip()
        inline = request.args.get("view") == "1"
        if inline and kind == "text/html":
            g.stored_page = True   # sandboxed, no network: see security.STORED_PAGE_CSP
            return send_file(io.BytesIO(data), mimetype="text/html")
        if inline and kind in INLINE_IMAGES:
            response = send_file(io.BytesIO(data), mimetype=kind)
            response.headers["Content-Security-Policy"] = security.STORED_IMAGE_CSP
            return response
        return send_file(io.BytesIO(data), mimetype="application/octet-stream", as_attachment=True,
                         download_name=Path(found.sources[index].filename).name or "source")

    @app.route("/p/<package_id>/report.html")
    def report(package_id):
        """A verification made now, as the printable page `verify --html` writes."""
        from archivekit.verify.render import about, to_html
        found, _ = _clipping(collection, package_id)
        verifier = _verifier(settings)      # the trust store read once: checked and named
        page = to_html([verifier.verify(found.path)], about(verifier.trust))
        return send_file(io.BytesIO(page.encode("utf-8")), mimetype="text/html",
                         as_attachment=True, download_name=f"{found.package_id}-report.html")

    @app.route("/p/<package_id>/package.zip")
    def package_zip(package_id):
        """The package as one zip file, verified first and again once made (collection.export)."""
        from archivekit.collection.export import export_package
        found, _ = _clipping(collection, package_id)
        with tempfile.TemporaryDirectory(prefix=".archivekit-export-") as out:
            try:
                made = export_package(found.path, "zip", out, _verifier(settings))
            except ArchivekitError as exc:
                abort(409, exc.message)
            data = made.read_bytes()
        return send_file(io.BytesIO(data), mimetype="application/zip", as_attachment=True,
                         download_name=made.name)

    jobs = Jobs()

    @app.route("/capture", methods=["GET", "POST"])
    def capture():
        if settings.read_only:
            abort(403)
        if request.method == "GET":
            return render_template("capture.html", form={}, problem=None)
        form = request.form
        try:
            work, title = _capture_work(collection, settings, form, request.files.get("file"))
        except ValueError as exc:
            return render_template("capture.html", form=form, problem=str(exc)), 400
        job = jobs.start(title, work)
        return redirect(url_for("job", job_id=job.id), code=303)

    @app.route("/jobs/<job_id>")
    def job(job_id):
        found = jobs.get(job_id if job_id.isalnum() else "")
        if found is None:
            abort(404)
        if found.done and found.package_id and not found.error:
            return redirect(url_for("clipping", package_id=found.package_id))
        response = make_response(render_template("job.html", job=found))
        if not found.done:
            response.headers["Refresh"] = "1"   # no script: the browser asks again
        return response

    @app.route("/p/<package_id>/amend", methods=["GET", "POST"])
    def amend(package_id):
        if settings.read_only:
            abort(403)
        found, row = _clipping(collection, package_id)
        catalog = found.descriptor.get("catalog") or {}
        if request.method == "GET":
            return render_template("amend.html", c=found, form=form_from_catalog(catalog), problem=None)
        from archivekit.collection.amend import amend_catalog
        reason = request.form.get("reason", "").strip()
        changed = {**{k: v for k, v in catalog.items() if k not in FORM_FIELDS},
                   **catalog_from_form(request.form)}
        try:
            if not reason:
                raise ValueError("Say why the catalog is being amended; the reason is signed "
                                 "into the new version.")
            made = amend_catalog(collection, found.package_id, changed, _signer(settings),
                                 _verifier(settings), reason=reason, operator="reading room",
                                 tsa_url=collection.config["policy"].get("tsa"))
        except (ValueError, ArchivekitError) as exc:
            return render_template("amend.html", c=found, form=request.form,
                                   problem=getattr(exc, "message", str(exc))), 400
        return redirect(url_for("clipping", package_id=made.package_id), code=303)

    @app.route("/p/<package_id>/withdraw", methods=["GET", "POST"])
    def withdraw(package_id):
        if settings.read_only:
            abort(403)
        found, row = _clipping(collection, package_id)
        if request.method == "GET":
            return render_template("withdraw.html", c=found, problem=None)
        from archivekit.collection.withdraw import withdraw as withdraw_package
        reason = request.form.get("reason", "").strip()
        if not reason or request.form.get("confirm") != "yes":
            return render_template("withdraw.html", c=found, problem=(
                "Give the reason and tick the confirmation: a withdrawal is signed and "
                "recorded for good.")), 400
        try:
            withdraw_package(collection, found.package_id, reason, _signer(settings),
                             remove_content=request.form.get("remove") == "yes",
                             operator="reading room")
        except ArchivekitError as exc:
            return render_template("withdraw.html", c=found, problem=exc.message), 400
        return redirect(url_for("clipping", package_id=found.package_id), code=303)

    @app.route("/audits")
    def audits():
        with _db(collection) as db:
            rows = browse.failures_first(db)
        return render_template("audits.html", rows=rows, now=format_time(utc_now()),
                               trust=str(settings.trust_path))

    @app.errorhandler(400)
    @app.errorhandler(403)
    @app.errorhandler(404)
    @app.errorhandler(409)
    @app.errorhandler(413)
    def problem(error):
        return render_template("problem.html", error=error), error.code

    return app


def _prepare(collection: Collection) -> None:
    """The indexes and facet summary browsing relies on, made where missing."""
    with _db(collection) as db:
        browse.ensure_indexes(db)
        browse.ensure_summary(db)


@contextlib.contextmanager
def _db(collection: Collection):
    db = sqlite3.connect(f"file:{collection.catalog_path}?mode=rw", uri=True, timeout=30)
    try:
        yield db
    finally:
        db.close()


def _clipping(collection: Collection, package_id: str):
    """The package a URL names, with its catalog row; 404 unless the catalog knows it and
    its path lies inside the collection's packages folder."""
    package_id = security.checked_package_id(package_id)
    with _db(collection) as db:
        db.row_factory = sqlite3.Row
        row = db.execute("SELECT * FROM packages WHERE id = ?", (package_id,)).fetchone()
    if not row:
        abort(404)
    row = dict(row)
    row["withdrawal"] = json.loads(row.get("withdrawal") or "null")
    index = collection.index()
    try:
        row["versions"] = index.history(package_id)
    finally:
        index.close()
    path = (collection.root / row["path"]).resolve()
    homes = (collection.packages_dir.resolve(), collection.quarantine_dir.resolve())
    if not any(home in path.parents for home in homes):
        abort(404)
    if not path.exists():   # withdrawn with its content removed: the tombstone remains
        return Clipping(package_id, path, {"id": package_id}), row
    return read_clipping(path), row


def _verifier(settings: Settings):
    """A verifier that believes the trust store the reading room was given."""
    from archivekit.trust.truststore import TrustStore
    from archivekit.verify import Verifier
    return Verifier(TrustStore.load(settings.trust_path))


def _verify(path: Path, settings: Settings):
    return _verifier(settings).verify(path)


CATALOG_FIELDS = ("title", "publisher", "date", "call_number", "rights", "notes")
LIST_FIELDS = ("authors", "subjects")
FORM_FIELDS = CATALOG_FIELDS + LIST_FIELDS


def form_from_catalog(catalog: dict) -> dict:
    """The catalog as the form shows it: lists one item per line."""
    form = {name: str(catalog.get(name) or "") for name in CATALOG_FIELDS}
    for name in LIST_FIELDS:
        value = catalog.get(name) or []
        form[name] = "\n".join(map(str, value if isinstance(value, list) else [value]))
    return form


def catalog_from_form(form) -> dict:
    """The cataloguer's fields, as the sidecar would hold them (strings, kept as typed)."""
    catalog = {name: form[name].strip() for name in CATALOG_FIELDS if form.get(name, "").strip()}
    for name in LIST_FIELDS:
        values = [v.strip() for v in form.get(name, "").splitlines() if v.strip()]
        if values:
            catalog[name] = values
    return catalog


def _capture_work(collection: Collection, settings: Settings, form, upload):
    """What to capture, checked before anything starts; raises ValueError with words."""
    from archivekit.capture.web import check_url
    mode = form.get("mode", "text")
    catalog = catalog_from_form(form)
    url = form.get("url", "").strip() or None
    incoming = collection.root / ".incoming"
    incoming.mkdir(exist_ok=True)
    if mode == "url":
        if not url:
            raise ValueError("Give the address of the page to capture.")
        try:
            check_url(url)
        except Exception as exc:
            raise ValueError(getattr(exc, "message", str(exc))) from None
        return (lambda job: _ingest_url(collection, settings, url, catalog, job)), url
    if mode == "file":
        if upload is None or not upload.filename:
            raise ValueError("Choose a file to upload.")
        name = Path(upload.filename).name.lstrip(".") or "upload"
        data = upload.read()
    else:
        text = form.get("text", "")
        if not text.strip():
            raise ValueError("Paste the clipping's text first.")
        name, data = "pasted-clipping.txt", text.replace("\r\n", "\n").encode("utf-8")
    if not data:
        raise ValueError("That file is empty.")
    folder = Path(tempfile.mkdtemp(dir=incoming))
    path = folder / name
    path.write_bytes(data)
    return (lambda job: _ingest_path(collection, settings, path, url, catalog, job)), name


def _home(settings: Settings):
    from archivekit.trust.home import Home
    return Home.locate(str(settings.home) if settings.home else None)


def _signer(settings: Settings):
    from archivekit.trust.signer import resolve_signer
    signer, _ = resolve_signer(_home(settings), None, lambda name: None)
    return signer


def _ingest_path(collection, settings, path: Path, url, catalog, job) -> None:
    import shutil
    from archivekit.collection.ingest import ingest_file
    try:
        _ingest(collection, settings, job, lambda signer: ingest_file(
            collection, path, signer, url=url, catalog=catalog, operator="reading room"))
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)


def _ingest_url(collection, settings, url, catalog, job) -> None:
    from archivekit.capture.web import WebOptions, fetch
    from archivekit.collection.ingest import ingest_web
    job.stage = f"fetching {url}"
    capture = fetch(url, WebOptions())
    _ingest(collection, settings, job, lambda signer: ingest_web(
        collection, capture, signer, catalog=catalog, operator="reading room"))


def _ingest(collection, settings, job, work) -> None:
    """As `capture --into`: what an interrupted run or capture left finished first, and a
    full disk named (the job's error) with the package it stopped kept for next time."""
    from archivekit.collection.runs import capturing_into
    job.stage = "waiting for the collection"
    with capturing_into(collection, _home(settings), "reading room", 120) as capturing:
        job.notes += capturing.notes
        job.stage = "reading, sealing and indexing"
        signer = _signer(settings)
        done = capturing.finish(work(signer), signer)
    if done.already:
        job.notes.append("These bytes were already in the collection; opening that clipping.")
    job.package_id = done.package_id
