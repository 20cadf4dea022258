"""The transparency log: Merkle proofs for every tree size up to 64, signed
checkpoints, and an outside watcher that catches rollback, forks and rewrites."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from archivekit.trust.keys import SigningKey
from archivekit.trust.truststore import TrustStore
from archivekit.trust.tlog import (CheckpointInvalid, TransparencyLog, parse_checkpoint,
                             parse_verifier_key, sign_checkpoint, verifier_key, verify_checkpoint)
from conftest import SEED, SAMPLES, signing_key
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

SIZES = range(1, 65)


def _key():
    return SigningKey("log", Ed25519PrivateKey.generate())


def test_checkpoint_format_and_signature():
    key = _key()
    text = sign_checkpoint("example.org/log", 3, b"\x01" * 32, key, "log")
    lines = text.split("\n")
    assert lines[:4] == ["example.org/log", "3", "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=", ""]
    assert lines[4].startswith("\u2014 log ")
    trust = TrustStore(None)
    trust.add(key.public_key, "log")
    checkpoint, signer = verify_checkpoint(text, trust)
    assert checkpoint.size == 3 and signer.name == "log"
    with pytest.raises(CheckpointInvalid):
        verify_checkpoint(text, TrustStore(None))                    # unknown key
    with pytest.raises(CheckpointInvalid):
        verify_checkpoint(text.replace("\n3\n", "\n4\n"), trust)    # body changed
    trust.revoke(signer.key_id, "log key stolen")
    with pytest.raises(CheckpointInvalid, match="signed by log, compromised"):
        verify_checkpoint(text, trust)                               # signer compromised


def manifest(tmp_path, sources):
    path = tmp_path / "job.yaml"
    path.write_text(f"collection: {tmp_path / 'coll'}\nsources:\n" +
                    "".join(f"  - path: {s}\n" for s in sources))
    return path


@pytest.fixture
def logged(cli, tmp_path):
    assert cli("run", manifest(tmp_path, [SEED])).returncode == 0
    assert cli("run", manifest(tmp_path, [SEED, SAMPLES / "scan-clipping.png"])).returncode == 0
    return tmp_path / "coll"


def test_every_seal_is_logged_with_its_proof(cli, logged, tmp_path):
    log = TransparencyLog(logged / "tlog", "x")
    assert len(log.leaves()) == 2
    assert sorted(p.name for p in (logged / "tlog/checkpoints").iterdir()) == ["1", "2"]
    proofs = list(logged.glob("packages/*/signatures/*.tlog.json"))
    assert len(proofs) == 2
    assert sorted(json.loads(p.read_text())["tree_size"] for p in proofs) == [1, 2]
    assert cli("log", "refresh", logged).returncode == 0   # the older one, on request
    assert {json.loads(p.read_text())["tree_size"] for p in proofs} == {2}
    checkpoint = tmp_path / "checkpoint.txt"
    checkpoint.write_text(cli("log", "checkpoint", logged).stdout)
    for proof in proofs:
        result = cli("verify", proof.parent.parent, "--log", checkpoint, "--json")
        assert result.returncode == 0 and "AK53" not in result.stdout, result.stdout
        assert json.loads(result.stdout)["packages"][0]["facts"]["seals"][0]["log"]["tree_size"] == 2


def test_a_tampered_proof_is_found(cli, logged):
    proof_file = next(logged.glob("packages/*/signatures/*.tlog.json"))
    document = json.loads(proof_file.read_text())
    document["index"] = 1 - document["index"]
    proof_file.write_text(json.dumps(document))
    result = cli("verify", proof_file.parent.parent, "--json")
    assert result.returncode == 1 and "AK530" in result.stdout


def test_checkpoint_by_an_unknown_key(cli, logged, tmp_path):
    fake = tmp_path / "fake.txt"
    latest = parse_checkpoint(cli("log", "checkpoint", logged).stdout)[0]
    fake.write_text(sign_checkpoint(latest.origin, latest.size, latest.root, _key(), "local"))
    package = next(logged.glob("packages/*"))
    result = cli("verify", package, "--log", fake, "--json")
    assert result.returncode == 1 and "AK531" in result.stdout


def _resign(cli, logged, leaves: list[bytes]):
    log_dir = logged / "tlog"
    (log_dir / "leaves.jsonl").write_bytes(b"".join(leaf + b"\n" for leaf in leaves))
    origin = parse_checkpoint((log_dir / "checkpoint").read_text())[0].origin
    TransparencyLog(log_dir, origin).sign(signing_key(cli), "local")


def test_watcher_accepts_growth_and_rejects_rollback_fork_and_rewrite(cli, logged, tmp_path):
    state = tmp_path / "seen.txt"
    first = cli("log", "watch", logged, "--state", state)
    assert first.returncode == 0 and "first sight" in first.stdout
    assert cli("run", manifest(tmp_path, [SAMPLES / "library-board-clipping.pdf"])).returncode == 0
    grown = cli("log", "watch", logged, "--state", state)
    assert grown.returncode == 0 and "2 -> 3 leaves, consistent" in grown.stdout
    kept = state.read_text()
    leaves = TransparencyLog(logged / "tlog", "x").leaves()

    _resign(cli, logged, leaves[:2])                                   # rolled back
    result = cli("log", "watch", logged, "--state", state)
    assert result.returncode == 1 and "rolled back" in result.stdout
    assert state.read_text() == kept

    forged = leaves[:2] + [leaves[2].replace(b"sealed_at", b"sealed_AT")]
    _resign(cli, logged, forged)                                       # forked at the same size
    result = cli("log", "watch", logged, "--state", state)
    assert result.returncode == 1 and "forked" in result.stdout

    rewritten = [leaves[1], leaves[0], leaves[2], leaves[2] + b" "]    # history changed, then grown
    _resign(cli, logged, rewritten)
    result = cli("log", "watch", logged, "--state", state)
    assert result.returncode == 1 and "rewritten or forked" in result.stdout
    assert state.read_text() == kept


def test_a_package_that_does_not_verify_is_not_logged(cli, tmp_path):
    """A forged package dropped into the collection must not gain a place in the log."""
    job = manifest(tmp_path, [SEED])
    assert cli("run", job).returncode == 0
    stranger = tmp_path / "stranger"
    made = cli("capture", SAMPLES / "scan-clipping.png", "--out", tmp_path / "elsewhere",
               env={"ARCHIVEKIT_HOME": str(stranger)})
    forged = Path(made.stdout.strip())
    forged.rename(tmp_path / "coll/packages" / forged.name)
    result = cli("run", job, "--json")
    report = json.loads(result.stdout)
    assert result.returncode == 1     # the audit fails it (AK507) ...
    assert any("not logged" in note for note in report["notes"])
    leaves = [json.loads(leaf) for leaf in TransparencyLog(tmp_path / "coll/tlog", "x").leaves()]
    assert [leaf["package_id"] for leaf in leaves] == [p.name for p in (tmp_path / "coll/packages").iterdir()
                                                       if "spy-agency" in p.name]


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz.-_0123456789", min_size=1, max_size=30))
def test_verifier_keys_round_trip(name):
    key = SigningKey(name, Ed25519PrivateKey.generate())
    parsed_name, public_key = parse_verifier_key(verifier_key(name, key.public_key))
    assert parsed_name == name and public_key == key.public_key


def test_a_verifier_key_whose_hash_does_not_match_is_refused():
    key = SigningKey("a", Ed25519PrivateKey.generate())
    text = verifier_key("a", key.public_key)
    with pytest.raises(CheckpointInvalid):
        parse_verifier_key("b" + text[1:])
    with pytest.raises(CheckpointInvalid):
        parse_verifier_key(text[:-4])


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400) | st.builds(
    lambda cut, junk: sign_checkpoint("o", 2, b"\x02" * 32, _KEY, "log",
                                      (f"key-transition {junk}",))[:cut],
    st.integers(0, 400), st.text(max_size=80)))
def test_any_checkpoint_text_gives_a_verdict_or_a_clear_refusal(text):
    trust = TrustStore(None)
    trust.add(_KEY.public_key, "log")
    try:
        verify_checkpoint(text, trust)
    except CheckpointInvalid as exc:
        assert str(exc)


def test_garbage_in_the_transitions_folder_is_not_followed(tmp_path):
    log = TransparencyLog(tmp_path, "o")
    (tmp_path / "transitions").mkdir()
    (tmp_path / "transitions" / "3").write_text("o\n3\nnot base64\n\n\u2014 x y\n")
    (tmp_path / "transitions" / "4").write_bytes(b"\xff\xfe")
    (tmp_path / "transitions" / "notes.txt").write_text("hello")
    assert log.followed_keys(TrustStore(None)) == []



def test_two_hand_overs_with_nothing_logged_between_are_both_kept(tmp_path):
    """Keys rotated a -> b -> c with no seal logged between: the second hand-over was
    written over the first (both transitions/<size>), and whoever knew only a (a
    partner, a watcher) could follow to neither b nor c. Made again after an
    interruption, a hand-over is not written twice."""
    log = TransparencyLog(tmp_path, "o")
    a, b, c = (SigningKey(name, Ed25519PrivateKey.generate()) for name in "abc")
    log.sign(a, "a")
    log.hand_over(a, "a", b, "b")
    log.hand_over(b, "b", c, "c")
    log.hand_over(b, "b", c, "c")     # the run was stopped before its next checkpoint
    assert sorted(p.name for p in (tmp_path / "transitions").iterdir()) == ["0", "0-2"]
    trust = TrustStore(None)
    trust.add(a.public_key, "a", roles=["log"])
    assert [k.name for k in log.followed_keys(trust)] == ["b", "c"]

_KEY = SigningKey("log", Ed25519PrivateKey.generate())
