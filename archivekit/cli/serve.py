"""`archivekit serve`: the reading room, a local web interface over one collection."""

import errno
import signal
import socket
from pathlib import Path

import click

from archivekit.cli.app import home_of, main
from archivekit.errors import InputError, UsageError

# Not the common epilog: stopping is a reading room's normal end, so Ctrl-C and SIGTERM
# end it with 0 (a service manager takes 143 for a failure).
SERVE_EPILOG = ("Exit codes: 0 stopped by Ctrl-C or SIGTERM, 2 usage error, 3 could not run "
                "(no such collection, a catalog that cannot be written, a port in use).")


@main.command(epilog=SERVE_EPILOG)
@click.argument("collection", type=click.Path(file_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but this machine's loopback needs --auth.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True,
              help="Port to listen on (0: any free port, printed at start).")
@click.option("--auth", "auth_file", type=click.Path(dir_okay=False),
              help="A file whose first line is the password readers must give. Its login "
                   "cookie is Secure: put the reading room behind HTTPS when it is not local.")
@click.option("--read-only", is_flag=True,
              help="Browse, read and verify only: no capture, amendment or withdrawal. "
                   "Serves a collection whose catalog cannot be written (a read-only "
                   "snapshot) too.")
@click.option("--trust", "trust_path", type=click.Path(dir_okay=False),
              help="Trust store the 'verify now' button believes (default: the configured one).")
@click.option("--max-upload", type=click.IntRange(min=1), default=32, show_default=True,
              help="Largest upload or form, in MiB.")
@click.pass_context
def serve(ctx, collection, host, port, auth_file, read_only, trust_path, max_upload):
    """Open COLLECTION in a reading room at http://HOST:PORT/ — browse and search, read a
    clipping, verify it now, capture, amend and withdraw from a browser.

    \b
    archivekit serve collections/clippings               # http://127.0.0.1:8080/
    archivekit serve collections/clippings --read-only   # a public reading room
    """
    from werkzeug.serving import make_server
    from archivekit.serve.app import create_app
    from archivekit.serve.settings import LOOPBACK, Settings
    password = None
    if auth_file:
        try:
            password = Path(auth_file).read_text("utf-8").splitlines()[0].strip()
        except (OSError, UnicodeDecodeError, IndexError) as exc:
            raise InputError(f"{auth_file}: cannot read a password from it ({exc})") from None
        if len(password) < 12:
            raise UsageError(f"{auth_file}: the password must be at least 12 characters")
    if host not in LOOPBACK and password is None:
        raise UsageError(f"listening on {host} lets other machines in: give --auth FILE")
    home = home_of(ctx)
    settings = Settings(collection=Path(collection), trust_path=Path(trust_path) if trust_path
                        else home.trust_path, home=home.root, read_only=read_only,
                        password=password, max_upload=max_upload << 20)
    listener = _listen(host, port)
    app = create_app(settings)
    with listener:   # werkzeug serves a copy of it
        server = make_server(host, port, app, threaded=True, fd=listener.fileno())
    if app.config["CATALOG_COPY"]:
        click.echo(f"archivekit: note: {Path(collection) / 'catalog.sqlite'} cannot be written "
                   "here: the reading room reads an up-to-date copy of it, made now and "
                   "removed when it stops", err=True)
    shown_host = f"[{host}]" if ":" in host else host     # an IPv6 address, as in a URL
    click.echo(f"Reading room for {collection} at http://{shown_host}:{server.port}/ "
               "(Ctrl-C to stop)", err=True)
    # Stopped by a service manager (SIGTERM) as by Ctrl-C: what it made (a catalog's
    # copy) is removed on the way out.
    signal.signal(signal.SIGTERM, _stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


def _listen(host: str, port: int) -> socket.socket:
    """The reading room's socket, made here: werkzeug, making it, prints its own words
    and exits 1 when the port is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:   # "::" takes IPv4 too, as werkzeug's own socket did
        return socket.create_server((host, port), family=family, dualstack_ipv6=(
            family == socket.AF_INET6 and socket.has_dualstack_ipv6()))
    except OSError as exc:
        why = ("the port is in use (another program, or a reading room already open): "
               "give another with --port, or 0 for any free one"
               if exc.errno == errno.EADDRINUSE else exc.strerror or str(exc))
        raise InputError(f"cannot listen on {host} port {port}: {why}") from None


def _stop(signum, frame):
    raise KeyboardInterrupt     # serve_forever ends as at a Ctrl-C
