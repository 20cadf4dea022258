"""Who signs: the default key, made on first use; a first run killed while it made the
key is finished by the next one, not refused."""

from archivekit.trust.home import Home
from archivekit.trust.keyring import Keyring
from archivekit.trust.truststore import TrustStore

from conftest import SEED


def test_a_default_key_made_but_not_yet_trusted_or_chosen_is_finished(cli, tmp_path):
    home = Home(cli.home)
    key = Keyring(home).generate("local")        # killed here: not trusted, no default
    assert TrustStore.load(home.trust_path).find(key.key_id) is None
    made = cli("capture", SEED, "--out", tmp_path / "out")
    assert made.returncode == 0, made.stderr      # not 'several keys and no default'
    assert TrustStore.load(home.trust_path).find(key.key_id) is not None
    assert home.config()["default_key"] == "local"
    again = cli("capture", SEED, "--out", tmp_path / "again")
    assert again.returncode == 0 and "made signing key" not in again.stderr + again.stdout


def test_first_capture_makes_a_default_key_and_says_so_once(cli, tmp_path):
    first = cli("capture", SEED, "--out", tmp_path / "a")
    assert first.returncode == 0
    assert "made signing key 'local'" in first.stderr
    second = cli("capture", SEED, "--out", tmp_path / "b")
    assert second.returncode == 0 and "made signing key" not in second.stderr
