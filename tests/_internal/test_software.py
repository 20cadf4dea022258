"""The software name and version every WARC, descriptor and event records is the project's."""

import tomllib
from pathlib import Path

import archivekit
from archivekit._internal.software import SOFTWARE, __version__

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_the_recorded_version_is_the_one_the_project_is_released_as():
    project = tomllib.loads(PYPROJECT.read_text("utf-8"))["project"]
    assert SOFTWARE == {"name": project["name"], "version": project["version"]}
    assert archivekit.__version__ == __version__ == project["version"]
