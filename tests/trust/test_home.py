"""The configuration folder: found where the user said, else by the environment; its
settings read strictly and written atomically; one process at a time changes it."""

import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from archivekit.errors import UsageError
from archivekit.trust.home import Home


@pytest.fixture
def bare_env(monkeypatch, tmp_path):
    for name in ("ARCHIVEKIT_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    return monkeypatch


def test_the_home_is_the_one_named_else_archivekit_home_else_xdg_else_dot_config(bare_env,
                                                                                 tmp_path):
    assert Home.locate() == Home(tmp_path / "user/.config/archivekit")
    bare_env.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert Home.locate() == Home(tmp_path / "xdg/archivekit")
    bare_env.setenv("ARCHIVEKIT_HOME", str(tmp_path / "ak"))
    assert Home.locate() == Home(tmp_path / "ak")
    assert Home.locate(str(tmp_path / "named")) == Home(tmp_path / "named")
    bare_env.setenv("ARCHIVEKIT_HOME", "")                       # set but empty: not a home
    bare_env.setenv("XDG_CONFIG_HOME", "")
    assert Home.locate() == Home(tmp_path / "user/.config/archivekit")


def test_its_files_are_where_the_documentation_says(tmp_path):
    home = Home(tmp_path)
    assert (home.keys_dir, home.trust_path, home.config_path) == (
        tmp_path / "keys", tmp_path / "trust.yaml", tmp_path / "config.yaml")


def test_settings_are_empty_at_first_and_a_change_keeps_the_others(tmp_path):
    home = Home(tmp_path / "new")
    assert home.config() == {}
    home.set_config(default_key="desk", organization="Gazette")
    home.set_config(default_key="archive")
    assert home.config() == {"default_key": "archive", "organization": "Gazette"}
    assert yaml.safe_load(home.config_path.read_text()) == home.config()
    assert [p.name for p in home.root.iterdir()] == ["config.yaml"]     # no temporary left


@pytest.mark.parametrize("text, problem", [
    (b"default_key: [unclosed", "not valid YAML"),
    (b"\xff\xfe not utf-8", "not valid YAML"),
    (b"- a list\n- of keys\n", "expected a mapping at the top"),
    (b"just text", "expected a mapping at the top"),
])
def test_a_settings_file_that_is_not_a_yaml_mapping_is_refused_naming_it(tmp_path, text, problem):
    home = Home(tmp_path)
    home.config_path.write_bytes(text)
    with pytest.raises(UsageError, match=problem) as caught:
        home.config()
    assert str(home.config_path) in caught.value.message
    with pytest.raises(UsageError):
        home.set_config(default_key="x")
    assert home.config_path.read_bytes() == text                        # left as it was


def test_an_empty_settings_file_is_no_settings(tmp_path):
    home = Home(tmp_path)
    home.config_path.write_text("# nothing yet\n")
    assert home.config() == {}


HOLD = """
import sys, time
from pathlib import Path
from archivekit.trust.home import Home
with Home(Path(sys.argv[1])).lock():
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def test_the_lock_keeps_a_second_process_waiting_until_the_first_is_done(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path / "home"), "1.0"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "locked\n"
        started = time.monotonic()
        with Home(tmp_path / "home").lock():
            waited = time.monotonic() - started
    finally:
        holder.wait(10)
    assert waited > 0.5, "the lock was taken while another process held it"
    assert Path(tmp_path / "home/.lock").exists()
