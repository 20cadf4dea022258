"""The log's key changes hands: a key-transition checkpoint signed by the old key and
the new one; audits, verifiers and outside watchers follow it."""

import json
import time
import shutil

import pytest

from archivekit.trust.home import Home
from archivekit.trust.keyring import Keyring
from archivekit.trust.tlog import TransparencyLog, parse_checkpoint, signed_by
from conftest import ROOT, SAMPLES, SEED


@pytest.fixture
def samples(cli, tmp_path):
    """The README's job (manifests/samples.yaml) on a copy of the samples, run once."""
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    shutil.copytree(ROOT / "manifests", tmp_path / "manifests")
    job = tmp_path / "manifests" / "samples.yaml"
    first = cli("run", job)
    assert first.returncode == 0, first.stdout + first.stderr
    time.sleep(1.1)   # times have whole seconds: a key retired next is retired after these seals
    return job, tmp_path / "collections" / "samples"


def new_scan(tmp_path, number=2):
    """A new source for the samples job (a different file: the same bytes would be skipped)."""
    data = (SAMPLES / "scan-clipping.png").read_bytes() + b"\0" * number
    (tmp_path / "samples" / f"scan-{number}.png").write_bytes(data)


def key(cli, name):
    return Keyring(Home(cli.home)).load(name)


def test_audits_pass_after_the_key_is_replaced(cli, samples, tmp_path):
    job, collection = samples
    retired = cli("trust", "revoke", "local", "--reason", "superseded")
    assert retired.returncode == 0 and "retired" in retired.stdout
    refused = cli("run", job)                          # the default key no longer seals
    assert refused.returncode == 3 and "key 'local' is retired" in refused.stderr
    assert cli("keys", "generate", "reading-room", "--organization", "City Library").returncode == 0
    new_scan(tmp_path)
    again = cli("run", job, "--json")
    report = json.loads(again.stdout)
    assert again.returncode == 0, again.stdout
    assert report["audited"] == 5 and report["audit_failures"] == []
    transition = (collection / "tlog/transitions/4").read_text()
    assert signed_by(transition, key(cli, "local")) and signed_by(transition, key(cli, "reading-room"))
    assert "key-transition reading-room+" in transition
    latest = (collection / "tlog/checkpoint").read_text()
    assert parse_checkpoint(latest)[0].size == 5
    assert signed_by(latest, key(cli, "reading-room")) and not signed_by(latest, key(cli, "local"))
    old_package = next(p for p in collection.glob("packages/*") if "spy-agency" in p.name)
    verified = cli("verify", old_package, "--json")
    assert verified.returncode == 0, verified.stdout       # its proof's checkpoint: the retired key


def test_a_watcher_who_knew_only_the_old_key_follows_the_hand_over(cli, samples, tmp_path):
    job, collection = samples
    watcher = {"ARCHIVEKIT_HOME": str(tmp_path / "watcher")}
    assert cli("trust", "export", tmp_path / "shared.yaml").returncode == 0
    assert cli("trust", "import", tmp_path / "shared.yaml", env=watcher).returncode == 0
    state = tmp_path / "seen.txt"
    assert cli("log", "watch", collection, "--state", state, env=watcher).returncode == 0
    assert cli("keys", "generate", "reading-room").returncode == 0
    assert cli("keys", "retire", "local").returncode == 0
    new_scan(tmp_path)
    assert cli("run", job).returncode == 0
    followed = cli("log", "watch", collection, "--state", state, env=watcher)
    assert followed.returncode == 0, followed.stdout
    assert "4 -> 5 leaves, consistent" in followed.stdout
    assert "reached through the log's key transitions" in followed.stdout

    # A hand-over the old key did not sign is not followed: a stranger's key takes the log.
    stranger = {"ARCHIVEKIT_HOME": str(tmp_path / "stranger")}
    assert cli("keys", "generate", "mallory", env=stranger).returncode == 0
    log = TransparencyLog(collection / "tlog", parse_checkpoint(state.read_text())[0].origin)
    mallory = Keyring(Home(tmp_path / "stranger")).load("mallory")
    for path in (collection / "tlog/transitions").iterdir():
        path.unlink()
    log.hand_over(mallory, "local", mallory, "mallory")     # claims to be 'local'
    log.sign(mallory, "mallory")
    rejected = cli("log", "watch", collection, "--state", state, env=watcher)
    assert rejected.returncode == 1 and "not signed by any key in the trust store" in rejected.stdout


def test_a_compromised_log_key_is_named_in_the_finding(cli, samples):
    _, collection = samples
    package = next(collection.glob("packages/*"))
    assert cli("trust", "revoke", "local", "--reason", "key stolen").returncode == 0
    result = cli("verify", package, "--json")
    findings = json.loads(result.stdout)["packages"][0]["findings"]
    ak531 = [f["message"] for f in findings if f["code"] == "AK531"]
    assert result.returncode == 1 and ak531
    assert "compromised" in ak531[0] and "not in the trust store" not in ak531[0]
    assert "archivekit log refresh" in ak531[0]


def test_an_out_of_date_proof_is_a_warning_with_its_remedy(cli, tmp_path):
    collection = tmp_path / "coll"
    job = tmp_path / "job.yaml"
    job.write_text(f"collection: {collection}\nsources:\n  - path: {SEED}\n")
    assert cli("run", job).returncode == 0
    package = next(collection.glob("packages/*"))
    loose = tmp_path / "loose" / package.name                  # a copy taken away: proof at 1
    shutil.copytree(package, loose)
    job.write_text(job.read_text() + f"  - path: {SAMPLES / 'scan-clipping.png'}\n")
    assert cli("run", job).returncode == 0
    proof = next(package.glob("signatures/*.tlog.json"))
    assert json.loads(proof.read_text())["tree_size"] == 1      # proofs: on request (default)
    assert cli("log", "refresh", collection).returncode == 0
    assert json.loads(proof.read_text())["tree_size"] == 2
    checkpoint = tmp_path / "checkpoint.txt"
    checkpoint.write_text(cli("log", "checkpoint", collection).stdout)

    result = cli("verify", loose, "--log", checkpoint)
    assert result.returncode == 0, result.stdout
    assert "WARNING AK533 proof out of date" in result.stdout
    assert "not yet shown" in result.stdout and "archivekit log refresh" in result.stdout
    assert "NOT valid" not in result.stdout

    stale = next(loose.glob("signatures/*.tlog.json")).read_bytes()
    proof.write_bytes(stale)                                    # an old proof in the collection
    inside = cli("verify", package)                             # the collection's checkpoint
    assert inside.returncode == 0 and "AK533" in inside.stdout
    assert "shows the seal is in it all the same" in inside.stdout
    code, shown = cli.in_terminal("log", "refresh", collection)    # a person watching
    assert code == 0, shown
    assert "refresh" in shown and "2/2" in shown                     # the progress bar
    assert "1 proof(s) refreshed, 1 already current" in shown
    after = cli("verify", package)
    assert after.returncode == 0 and "AK533" not in after.stdout

    forged = json.loads(stale)
    forged["leaf"] = forged["leaf"].replace("sealed_at", "sealed_AT")
    proof.write_text(json.dumps(forged))
    again = cli("log", "refresh", collection)
    assert "not in the log: " + package.name in again.stdout   # never re-proved into validity
    assert "AK530" in cli("verify", package).stdout


@pytest.mark.parametrize("text, words", [
    ("junk\n", "--from {}: not a signed checkpoint"),
    ("", "--from {}: not a signed checkpoint"),
    ("\xff\xfe not even text", "{}: the checkpoint is not UTF-8 text"),
])
def test_consistency_from_a_junk_checkpoint_is_a_usage_error(cli, tmp_path, text, words):
    assert cli("collection", "init", tmp_path / "coll").returncode == 0
    junk = tmp_path / "old-checkpoint.txt"
    junk.write_text(text, "latin-1")
    result = cli("log", "consistency", tmp_path / "coll", "--from", junk)
    assert result.returncode == 2, result.stderr
    assert words.format(junk) in result.stderr
    assert "Traceback" not in result.stderr
