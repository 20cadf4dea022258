"""Shared test fixtures: a private configuration home, the CLI as a real subprocess,
and pristine packages captured once per session and copied for each test."""

import hashlib
import json
import os
import pty
import select
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from archivekit.formats import seal
from archivekit.trust.home import Home
from archivekit.trust.keyring import Keyring
from archivekit.formats import layout
from support.browser import browser, page  # noqa: F401  (fixtures for every test)
from support.room import make_collection, start_room
from support.tsa import TimestampAuthority

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SEED = SAMPLES / "nyt-2023-12-28-chinese-spy-agency.txt"
SEED_CATALOG = SAMPLES / "nyt-2023-12-28-chinese-spy-agency.yaml"
SEED_URL = "https://www.nytimes.com/2023/12/27/us/politics/china-spy-agency-cia.html"


def shared_corpus(name: str) -> Path | None:
    """A folder of the shared corpus (read-only, beside the clone as ../shared in CI);
    None when this checkout has none, so that a test can skip and say why."""
    for parent in ROOT.parents:
        candidate = parent / "shared" / "corpus" / name
        if candidate.is_dir():
            return candidate
    return None


SAMPLE_SOURCES = [SEED, SAMPLES / "nytimes-saved-page.html", SAMPLES / "scan-clipping.png",
                  SAMPLES / "library-board-clipping.pdf"]


class CLI:
    """Runs `python -m archivekit` in a subprocess with its own configuration home."""

    def __init__(self, home: Path):
        self.home = home

    def env(self, **extra):
        env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVEKIT_")}
        env.update(ARCHIVEKIT_HOME=str(self.home), PYTHONPATH=str(ROOT))
        env.update(extra)   # a test may name another home
        return env

    def __call__(self, *args, env=None, input=None, cwd=None, timeout=120):
        return subprocess.run([sys.executable, "-m", "archivekit", *map(str, args)],
                              capture_output=True, text=True, env=self.env(**(env or {})),
                              input=input, cwd=cwd, timeout=timeout)

    def in_terminal(self, *args, env=None, timeout=120, press=None):
        """Run with stdin, stdout and stderr on a pseudo-terminal, as a person at a
        terminal would: (exit code, everything the terminal showed). `press`: (text,
        keys) types the keys once the terminal shows the text (b"\x03": Ctrl-C)."""
        controller, terminal = pty.openpty()
        try:
            process = subprocess.Popen([sys.executable, "-c", AT_A_TERMINAL, *map(str, args)],
                                       stdin=terminal, stdout=terminal, stderr=terminal,
                                       env=self.env(**(env or {})), start_new_session=True)
            os.close(terminal)
            shown = bytearray()
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                ready, _, _ = select.select([controller], [], [], 1)
                if not ready:
                    continue
                try:
                    chunk = os.read(controller, 65536)
                except OSError:   # EIO: every copy of the terminal closed
                    break
                if not chunk:
                    break
                shown += chunk
                if press and press[0].encode() in shown:
                    os.write(controller, press[1])
                    press = None
            else:
                process.kill()
            return process.wait(timeout=10), shown.decode("utf-8", "replace")
        finally:
            os.close(controller)

    def verify_json(self, *args):
        result = self("verify", "--json", *args)
        return result, json.loads(result.stdout) if result.stdout.strip() else None


# archivekit as a terminal starts it: the terminal its controlling one (Ctrl-C there is a
# SIGINT to it), SIGINT's default disposition (a suite started in the background by a
# shell without job control has it ignored, and its children would inherit that).
AT_A_TERMINAL = """
import fcntl, os, signal, sys, termios
fcntl.ioctl(0, termios.TIOCSCTTY, 0)
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.executable, [sys.executable, "-m", "archivekit", *sys.argv[1:]])
"""


@pytest.fixture
def cli(tmp_path) -> CLI:
    return CLI(tmp_path / "home")


@pytest.fixture(scope="session")
def tsa(tmp_path_factory):
    """A real RFC 3161 authority (openssl ts -reply) on 127.0.0.1."""
    authority = TimestampAuthority(tmp_path_factory.mktemp("tsa"))
    yield authority
    authority.stop()


@pytest.fixture(scope="session")
def sealed(tmp_path_factory):
    """One capture of the seed clipping, made once; tests copy it before changing it."""
    base = tmp_path_factory.mktemp("sealed")
    runner = CLI(base / "home")
    result = runner("capture", SEED, "--url", SEED_URL, "--catalog", SEED_CATALOG,
                    "--out", base / "archive")
    assert result.returncode == 0, result.stderr
    return runner, Path(result.stdout.strip())


@pytest.fixture
def package(sealed, tmp_path):
    """A fresh copy of the sealed seed package, and a CLI that trusts its key."""
    runner, pristine = sealed
    home = tmp_path / "home"
    shutil.copytree(runner.home, home)
    copy = tmp_path / "archive" / pristine.name
    shutil.copytree(pristine, copy)
    return CLI(home), copy


def verify_here(cli: CLI, location: Path):
    """The verifier's Report, run in this process (faster than the CLI), trusting what
    `cli` trusts."""
    from archivekit.trust.truststore import TrustStore
    from archivekit.verify import Verifier
    return Verifier(TrustStore.load(Home(cli.home).trust_path)).verify(location)


def finding_codes(report, index=0) -> set[str]:
    """The finding codes of one package in a `verify --json` report."""
    return {f["code"] for f in report["packages"][index]["findings"]}


def no_crash(result):
    """The verifier answered (verified or not) instead of crashing."""
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (1, 3), result.stdout


def zip_package(bag: Path, path: Path, extra=(), leave_out=()) -> Path:
    """The bag as one .zip with the bag directory at its top, plus `extra` (name, bytes)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(bag.rglob("*")):
            if file.is_file() and file.name not in leave_out:
                archive.write(file, f"{bag.name}/{file.relative_to(bag).as_posix()}")
        for name, data in extra:
            archive.writestr(name, data)
    return path


def signing_key(cli: CLI, name="local"):
    return Keyring(Home(cli.home)).load(name)


def reseal(bag: Path, key, sealed_at: str | None = None, statement_changes=None) -> None:
    """Recompute every manifest and replace the seals, as a forger (or a buggy tool) would."""
    payload = {}
    for path in sorted((bag / "data").rglob("*")):
        if path.is_file():
            payload[path.relative_to(bag).as_posix()] = path.read_bytes()
    for alg in layout.ALGORITHMS:
        (bag / layout.manifest_path(alg)).write_bytes(layout.manifest_text(
            {p: hashlib.new(alg, d).hexdigest() for p, d in payload.items()}))
    oxum = f"{sum(map(len, payload.values()))}.{len(payload)}"
    info = (bag / layout.BAG_INFO_PATH).read_text().splitlines()
    (bag / layout.BAG_INFO_PATH).write_text("\n".join(
        f"Payload-Oxum: {oxum}" if line.startswith("Payload-Oxum:") else line
        for line in info) + "\n")
    tag_files = [layout.BAGIT_PATH, layout.BAG_INFO_PATH, layout.DESCRIPTOR_PATH,
                 *(layout.manifest_path(a) for a in layout.ALGORITHMS)]
    tag_manifests = {}
    for alg in layout.ALGORITHMS:
        text = layout.manifest_text({p: hashlib.new(alg, (bag / p).read_bytes()).hexdigest()
                                     for p in tag_files})
        (bag / layout.tagmanifest_path(alg)).write_bytes(text)
        tag_manifests[layout.tagmanifest_path(alg)] = text
    descriptor = json.loads((bag / layout.DESCRIPTOR_PATH).read_text())
    statement = seal.make_statement(descriptor["id"], sealed_at or descriptor["created"],
                                    tag_manifests, oxum, key, key.name, "")
    statement.update(statement_changes or {})
    shutil.rmtree(bag / "signatures")
    (bag / "signatures").mkdir()
    (bag / layout.seal_path(1, key.key_id)).write_bytes(seal.sign(statement, key))


def seal_facts(cli, package):
    """`verify --json` on one package: the result, its seals' facts, its finding codes."""
    result = cli("verify", package, "--json")
    report = json.loads(result.stdout)["packages"][0]
    return result, report["facts"]["seals"], {f["code"] for f in report["findings"]}


@pytest.fixture(scope="session")
def samples_collection(tmp_path_factory):
    """The seed clipping, a saved page and a scan in a collection, captured once; `room`
    serves a copy to each test."""
    base = tmp_path_factory.mktemp("room")
    cli = CLI(base / "home")
    make_collection(cli, base, [(SEED, SEED_URL), (ROOT / "samples" / "nytimes-saved-page.html",
                                "https://www.nytimes.com/2017/01/13/world/africa/sudan-sanctions.html"),
                                (ROOT / "samples" / "scan-clipping.png", None)])
    return base


@pytest.fixture
def room(samples_collection, tmp_path):
    """A reading room (`archivekit serve`) over a fresh copy of `samples_collection`."""
    for part in ("home", "collection"):
        shutil.copytree(samples_collection / part, tmp_path / part)
    running = start_room(CLI(tmp_path / "home"), tmp_path / "collection")
    yield running
    running.stop()
