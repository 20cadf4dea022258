"""The keys a person manages: made and trusted, the default chosen by the rules the
module states, and the keys that may hand a transparency log over."""

import pytest
import yaml

from archivekit.errors import UsageError
from archivekit.trust.home import Home
from archivekit.trust.identity import generate_trusted_key, handover_keys, set_default_key
from archivekit.trust.keyring import Keyring
from archivekit.trust.signer import AUTO_DEFAULT
from archivekit.trust.truststore import TrustStore


@pytest.fixture
def home(tmp_path):
    return Home(tmp_path / "home")


def test_a_key_made_is_trusted_and_the_first_becomes_the_default(home):
    made = generate_trusted_key(home, "desk", "Gazette")
    entry = TrustStore.load(home.trust_path).find(made.key_id)
    assert (entry.name, entry.organization, entry.state) == ("desk", "Gazette", "active")
    assert Keyring(home).load("desk").key_id == made.key_id
    assert made.became_default and made.replaced_default is None
    assert home.config() == {"default_key": "desk", AUTO_DEFAULT: False}


def test_a_second_key_leaves_a_default_a_person_chose(home):
    generate_trusted_key(home, "desk")
    second = generate_trusted_key(home, "archive")
    assert not second.became_default and home.config()["default_key"] == "desk"
    third = generate_trusted_key(home, "night", make_default=True)
    assert third.became_default and third.replaced_default == "desk"
    assert home.config()["default_key"] == "night"


@pytest.mark.parametrize("config", [
    {"default_key": "local", AUTO_DEFAULT: True},
    {"default_key": "local"},                  # a home from before the flag: 'local' was automatic
])
def test_the_first_key_a_person_makes_takes_over_from_the_automatic_one(home, config):
    generate_trusted_key(home, "local")
    home.config_path.write_text(yaml.safe_dump(config))          # as signer.py leaves it
    made = generate_trusted_key(home, "desk")
    assert made.became_default and made.replaced_default == "local"
    assert home.config()["default_key"] == "desk"


def test_a_person_who_chose_local_keeps_it_and_no_means_no(home):
    generate_trusted_key(home, "local")                          # chosen: the flag says False
    assert not generate_trusted_key(home, "desk").became_default
    assert not generate_trusted_key(home, "alone", make_default=False).became_default
    assert home.config()["default_key"] == "local"


def test_the_default_is_set_only_to_an_active_key_that_is_here(home):
    generate_trusted_key(home, "desk")
    archive = generate_trusted_key(home, "archive")
    assert set_default_key(home, "archive") == "archive"
    assert home.config() == {"default_key": "archive", AUTO_DEFAULT: False}
    with pytest.raises(UsageError, match=r"no key named 'archiv' in .*keys \(did you mean 'archive'\?\)"):
        set_default_key(home, "archiv")
    trust = TrustStore.load(home.trust_path)
    trust.revoke(archive.key_id, "superseded")
    trust.save()
    with pytest.raises(UsageError, match="key 'archive' is retired .*signs nothing new"):
        set_default_key(home, "archive")
    assert home.config()["default_key"] == "archive"                     # left as it was
    assert set_default_key(home, "desk") == "desk"


def test_a_log_is_handed_over_by_readable_keys_not_compromised(home):
    kept = {name: generate_trusted_key(home, name).key_id for name in ("desk", "old", "stolen")}
    generate_trusted_key(home, "locked", passphrase=b"secret words")
    Keyring(home).generate("untrusted")                                 # made, never trusted
    trust = TrustStore.load(home.trust_path)
    trust.revoke(kept["old"], "superseded")
    trust.revoke(kept["stolen"], "key compromise")
    trust.save()
    assert sorted(k.name for k in handover_keys(home)) == ["desk", "old", "untrusted"]
