"""`keys` and `trust`, the commands of cli/keys.py: the key life cycle through the CLI
(the default key, retirement, compromise, trust stores that a second institution
follows), what each command prints and what it refuses. (tests/trust/test_keys.py is
trust/keys.py's.)"""

import json
import time
from pathlib import Path

import yaml

from conftest import SAMPLES, SEED, reseal, signing_key


def config(cli):
    path = cli.home / "config.yaml"
    return yaml.safe_load(path.read_text()) if path.exists() else {}


def captured(cli, tmp_path, *args, source=SEED):
    made = cli("capture", source, "--out", tmp_path / "archive", *args)
    assert made.returncode == 0, made.stderr
    # Times have whole seconds, and a seal made at the moment of a retirement or a
    # compromise counts as after it: what the tests do next happens a second later.
    time.sleep(1.1)
    return Path(made.stdout.strip())


def seal_of(cli, package, *args):
    result = cli("verify", package, "--json", *args)
    report = json.loads(result.stdout)["packages"][0]
    return result, report["facts"]["seals"][0], {f["code"]: f for f in report["findings"]}


def test_a_made_key_takes_over_from_the_automatic_local_key(cli, tmp_path):
    first = captured(cli, tmp_path)                    # Quick start: 'local' made and default
    assert config(cli)["default_key"] == "local"
    made = cli("keys", "generate", "reading-room", "--organization", "City Library")
    assert made.returncode == 0, made.stderr
    assert "default key  reading-room (was local" in made.stdout
    second = captured(cli, tmp_path, source=SAMPLES / "scan-clipping.png")
    assert seal_of(cli, second)[1]["signer"] == "reading-room"
    assert seal_of(cli, first)[1]["signer"] == "local"
    other = cli("keys", "generate", "spare")            # a default chosen by a person stays
    assert "not the default; make it so with 'archivekit keys default spare'" in other.stdout
    assert config(cli)["default_key"] == "reading-room"
    assert cli("keys", "generate", "desk", "--default").returncode == 0
    assert config(cli)["default_key"] == "desk"
    assert "desk  (default)" in cli("keys", "list").stdout


def test_keys_default(cli, tmp_path):
    assert cli("keys", "generate", "reading-room").returncode == 0
    assert cli("keys", "generate", "vault", "--no-default").returncode == 0
    typo = cli("keys", "default", "vualt")
    assert typo.returncode == 2 and "did you mean 'vault'?" in typo.stderr
    assert config(cli)["default_key"] == "reading-room"
    chosen = cli("keys", "default", "vault")
    assert chosen.returncode == 0 and "Default signing key: vault" in chosen.stdout
    assert seal_of(cli, captured(cli, tmp_path))[1]["signer"] == "vault"
    assert cli("keys", "retire", "reading-room").returncode == 0
    refused = cli("keys", "default", "reading-room")
    assert refused.returncode == 2 and "retired" in refused.stderr
    assert config(cli)["default_key"] == "vault"


def test_capture_refuses_a_retired_or_compromised_key_and_writes_nothing(cli, tmp_path):
    captured(cli, tmp_path)
    assert cli("keys", "generate", "spare", "--no-default").returncode == 0
    retired = cli("trust", "revoke", "local", "--reason", "superseded")
    assert retired.returncode == 0 and "is retired" in retired.stdout
    assert "It was the default key" in retired.stderr
    before = sorted((tmp_path / "archive").iterdir())
    refused = cli("capture", SEED, "--out", tmp_path / "archive")
    assert refused.returncode == 3
    assert "key 'local' is retired" in refused.stderr and "signs nothing new" in refused.stderr
    assert "--key NAME (spare)" in refused.stderr
    assert cli("trust", "revoke", "spare", "--reason", "laptop stolen").returncode == 0
    stolen = cli("capture", SEED, "--out", tmp_path / "archive", "--key", "spare")
    assert stolen.returncode == 3 and "key 'spare' is compromised" in stolen.stderr
    typo = cli("capture", SEED, "--out", tmp_path / "archive", "--key", "lcoal")
    assert typo.returncode == 3 and "did you mean 'local'?" in typo.stderr
    assert sorted((tmp_path / "archive").iterdir()) == before


def test_retired_key_seals_made_before_stay_valid_those_after_do_not(cli, tmp_path):
    package = captured(cli, tmp_path)
    assert cli("keys", "generate", "next").returncode == 0
    assert cli("keys", "retire", "local").returncode == 0
    result, seal, codes = seal_of(cli, package)
    assert result.returncode == 0 and not codes, result.stdout
    assert seal["key_state"].startswith("retired") and "superseded" in seal["key_state"]
    assert "(key retired" in cli("verify", package).stdout
    reseal(package, signing_key(cli, "local"), sealed_at="2099-01-01T00:00:00Z")
    result, _, codes = seal_of(cli, package)
    assert result.returncode == 1 and "AK516" in codes


def test_compromised_key_seal_without_a_timestamp_is_not_believed(cli, tmp_path):
    package = captured(cli, tmp_path)
    assert cli("trust", "revoke", "local", "--reason", "laptop stolen").returncode == 0
    result, seal, codes = seal_of(cli, package)
    assert result.returncode == 1 and codes["AK514"]["severity"] == "error"
    assert "only a trusted timestamp" in codes["AK514"]["message"]
    reseal(package, signing_key(cli), sealed_at="2099-01-01T00:00:00Z")
    assert "AK510" in seal_of(cli, package)[2]


def test_an_old_trust_store_revocation_reads_as_a_compromise(cli, tmp_path):
    package = captured(cli, tmp_path)
    store = yaml.safe_load((cli.home / "trust.yaml").read_text())
    store["keys"][0].update(revoked_at="2000-01-01T00:00:00Z", revocation_reason="superseded")
    del store["keys"][0]["state"]
    (cli.home / "trust.yaml").write_text(yaml.safe_dump(store))
    assert "COMPROMISED 2000-01-01T00:00:00Z" in cli("trust", "list").stdout
    assert "AK510" in seal_of(cli, package)[2]


def test_a_second_institution_follows_the_history(cli, tmp_path):
    package = captured(cli, tmp_path)
    partner = {"ARCHIVEKIT_HOME": str(tmp_path / "partner")}
    shared = tmp_path / "city-library-trust.yaml"
    assert cli("trust", "export", shared).returncode == 0
    imported = cli("trust", "import", shared, env=partner)
    assert imported.returncode == 0 and "added" in imported.stdout
    assert cli("verify", package, env=partner).returncode == 0

    assert cli("keys", "generate", "reading-room").returncode == 0
    assert cli("keys", "retire", "local").returncode == 0
    assert cli("trust", "export", shared).returncode == 0
    again = cli("trust", "import", shared, env=partner)
    assert "local) now retired" in again.stdout and "added" in again.stdout
    assert cli("verify", package, env=partner).returncode == 0      # sealed before: valid

    assert cli("trust", "revoke", "local", "--reason", "key found on a stolen laptop",
               "--at", "2000-01-01T00:00:00Z", env=partner).returncode == 0
    softer = cli("trust", "import", shared, env=partner)             # says only 'retired'
    assert softer.returncode == 0 and "0 change(s)" in softer.stdout
    assert "COMPROMISED 2000-01-01" in cli("trust", "list", env=partner).stdout
    assert cli("verify", package, env=partner).returncode == 1


def test_a_revoked_key_reads_as_not_trusted_not_as_tampering(cli, tmp_path):
    package = captured(cli, tmp_path)
    assert cli("trust", "revoke", "local", "--reason", "laptop stolen").returncode == 0
    result = cli("verify", package)
    assert result.returncode == 1
    assert result.stdout.startswith("NOT TRUSTED  ")
    assert "signature intact, but not believed for this seal" in result.stdout
    assert "NOT valid" not in result.stdout
    (package / "data" / next(p.name for p in (package / "data").iterdir())).write_bytes(b"x")
    changed = cli("verify", package)
    assert changed.returncode == 1 and changed.stdout.startswith("CONTENT CHANGED  ")
    assert "restore it from a replica" in changed.stdout


def test_a_passphrase_variable_must_hold_one(cli):
    unset = cli("keys", "generate", "vault", "--passphrase-env", "NO_SUCH_VARIABLE")
    assert unset.returncode == 2 and "NO_SUCH_VARIABLE is empty or unset" in unset.stderr
    empty = cli("keys", "generate", "vault", "--passphrase-env", "EMPTY", env={"EMPTY": ""})
    assert empty.returncode == 2 and "EMPTY is empty or unset" in empty.stderr
    assert not (cli.home / "keys").exists() or "vault" not in cli("keys", "list").stdout


def test_keys_list_marks_the_default_and_the_retired(cli):
    for name in ("old-desk", "desk"):
        assert cli("keys", "generate", name, "--default").returncode == 0
    assert cli("keys", "retire", "old-desk").returncode == 0
    listed = cli("keys", "list").stdout.splitlines()
    assert "  desk  (default)" in listed and "  old-desk  (retired)" in listed


def test_what_is_not_a_key_or_a_certificate_is_named(cli, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("not a key\n")
    for command in (["trust", "add", text, "--name", "x"], ["trust", "add-tsa", text, "--name", "x"]):
        refused = cli(*command)
        assert refused.returncode != 0 and str(text) in refused.stderr, command
        assert "Traceback" not in refused.stderr
    exported = cli("keys", "export", "nobody")
    assert exported.returncode == 3 and "nobody" in exported.stderr
