"""A seal's place in the transparency log, judged against the current checkpoint (the one
the verifier is given, else its collection's latest): each way the seal can fail to be
shown in it is an AK532 that says which."""

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from archivekit.trust.home import Home
from archivekit.trust.truststore import TrustStore
from archivekit.trust.tlog import TransparencyLog, parse_checkpoint
from archivekit.verify import VerificationPolicy, Verifier
from conftest import SAMPLES, SEED, signing_key
from support.collection import write_manifest


@dataclass
class Logged:
    collection: Path
    first: Path          # logged first (index 0), its proof now at 2 leaves
    second: Path         # logged second (index 1)
    old_checkpoint: str  # the log at 1 leaf
    old_first: Path      # a copy of `first` taken away while its proof was at 1 leaf


@pytest.fixture
def logged(cli, tmp_path) -> Logged:
    assert cli("run", write_manifest(tmp_path, [f"path: {SEED}"])).returncode == 0
    collection = tmp_path / "coll"
    [first] = (collection / "packages").iterdir()
    old_checkpoint = (collection / "tlog/checkpoint").read_text()
    old_first = shutil.copytree(first, tmp_path / "taken-away" / first.name)
    job = write_manifest(tmp_path, [f"path: {SEED}", f"path: {SAMPLES / 'scan-clipping.png'}"])
    assert cli("run", job).returncode == 0
    assert cli("log", "refresh", collection).returncode == 0
    [second] = [p for p in (collection / "packages").iterdir() if p.name != first.name]
    return Logged(collection, first, second, old_checkpoint, old_first)


def judge(cli, package: Path, checkpoint: str | None = None) -> list[tuple[str, str, str]]:
    """(code, severity, message) of every finding about the log, in this process."""
    trust = TrustStore.load(Home(cli.home).trust_path)
    report = Verifier(trust).verify(package, VerificationPolicy(log_checkpoint=checkpoint))
    return [(f.code, f.severity, f.message) for f in report.findings
            if f.code.startswith("AK53")]


def taken_away(package: Path, folder: Path) -> Path:
    """A copy outside its collection: a verifier there has no log to ask."""
    return shutil.copytree(package, folder / package.name)


def forged_log(cli, folder: Path, leaves: list[bytes]) -> str:
    """The log in `folder` rewritten to `leaves` and signed again by its own key, as one
    who holds the log key could; its new checkpoint."""
    (folder / "leaves.jsonl").write_bytes(b"".join(leaf + b"\n" for leaf in leaves))
    origin = parse_checkpoint((folder / "checkpoint").read_text())[0].origin
    return TransparencyLog(folder, origin).sign(signing_key(cli), "local")


def test_a_seal_logged_after_the_given_checkpoint(cli, logged):
    [(code, severity, message)] = judge(cli, logged.second, logged.old_checkpoint)
    assert (code, severity) == ("AK532", "error")
    assert "logged after the checkpoint the verifier was given (at 1 leaves)" in message


def test_a_proof_for_a_later_checkpoint_needs_the_log_to_reach_back(cli, logged, tmp_path):
    assert judge(cli, logged.first, logged.old_checkpoint) == []     # the collection's log shows it
    loose = taken_away(logged.first, tmp_path / "loose")
    [(code, severity, message)] = judge(cli, loose, logged.old_checkpoint)
    assert (code, severity) == ("AK532", "error")
    assert "not shown to be in the checkpoint" in message and "a later one (2)" in message


def test_a_seal_without_a_proof(cli, logged, tmp_path):
    current = (logged.collection / "tlog/checkpoint").read_text()
    loose = taken_away(logged.first, tmp_path / "loose")
    for proof in loose.glob("signatures/*.tlog.json"):
        proof.unlink()
    [(code, severity, message)] = judge(cli, loose, current)
    assert (code, severity) == ("AK532", "error")
    assert "no inclusion proof for the checkpoint the verifier was given" in message
    for proof in logged.first.glob("signatures/*.tlog.json"):
        proof.unlink()
    [(code, severity, message)] = judge(cli, logged.first)     # the next run logs it
    assert (code, severity) == ("AK532", "warning")
    assert "not yet in the collection's log" in message


def test_a_fork_at_the_same_size(cli, logged, tmp_path):
    fork = shutil.copytree(logged.collection / "tlog", tmp_path / "fork")
    leaves = TransparencyLog(fork, "x").leaves()
    forked = forged_log(cli, fork, [leaves[0], leaves[1].replace(b"sealed_at", b"sealed_AT")])
    loose = taken_away(logged.first, tmp_path / "loose")
    [(code, severity, message)] = judge(cli, loose, forked)
    assert (code, severity) == ("AK532", "error")
    assert "two different trees of 2 leaves: the log was forked" in message


def test_a_log_that_does_not_extend_the_stored_proof(cli, logged):
    for proof in logged.first.glob("signatures/*.tlog.json"):   # its proof at 1 leaf again
        shutil.copy(logged.old_first / "signatures" / proof.name, proof)
    assert [c for c, _, _ in judge(cli, logged.first)] == ["AK533"]   # old, but consistent
    tlog = logged.collection / "tlog"
    leaves = TransparencyLog(tlog, "x").leaves()
    forged_log(cli, tlog, [leaves[0].replace(b"sealed_at", b"sealed_AT"), leaves[1]])
    [(code, severity, message)] = judge(cli, logged.first)
    assert (code, severity) == ("AK532", "error")
    assert "does not extend the log at 1 leaves: it was rewritten or forked" in message


def test_a_proof_made_for_another_seal(cli, logged):
    [mine] = logged.first.glob("signatures/*.tlog.json")
    [theirs] = logged.second.glob("signatures/*.tlog.json")
    shutil.copy(theirs, mine)
    assert ("AK530", "error", "the logged leaf is not this seal") in judge(cli, logged.first)


def test_a_proof_that_is_damaged(cli, logged):
    [proof] = logged.first.glob("signatures/*.tlog.json")
    document = json.loads(proof.read_text())
    proof.write_text(json.dumps(dict(document, checkpoint="not a checkpoint")))
    assert any(code == "AK531" and message.startswith("the proof's checkpoint: ")
               for code, _, message in judge(cli, logged.first))
    proof.write_text("{oops")
    assert ("AK530", "error", "the inclusion proof is not JSON") in judge(cli, logged.first)
