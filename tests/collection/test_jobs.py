"""Job manifests: a bad one names its file, line and field."""

import glob
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st


@pytest.mark.parametrize("body,line,field", [
    ("collection: c\nsources:\n  - path: x.txt\n    colour: red\n", 4, "sources.0.colour"),
    ("collection: c\nsources: {path: x.txt}\n", 2, "sources"),
    ("collection: c\nsources:\n  - paht: x.txt\n", 3, "sources.0.paht"),
    ("collection: c\nsources:\n  - glob: '*.txt'\n    url: http://x/\n", 4, "sources.0.url"),
    ("collection: c\nsources:\n  - glob: '*.txt'\naudit:\n  policy: sometimes\n", 5,
     "audit.policy"),
    ("collection: c\nsources:\n  - path: x.txt\n    glob: '*.txt'\n", 3, "sources.0"),
    ("sources: []\n", 1, "collection"),
    ("collection: c\nsources: [\n", None, None),
    ('collection: c\nsources:\n  - glob: "in\\0box/*.txt"\n', 3, "sources.0.glob"),
    ('collection: c\nsources:\n  - path: "x\\0.txt"\n', 3, "sources.0.path"),
    ('collection: c\nsources:\n  - path: x.txt\n    catalog: "c\\0.yaml"\n', 4,
     "sources.0.catalog"),
])
def test_bad_manifests_name_file_line_and_field(cli, tmp_path, body, line, field):
    (tmp_path / "x.txt").write_text("A Headline\n\nSome text of the clipping.\n")
    manifest = tmp_path / "bad.yaml"
    manifest.write_text(body)
    result = cli("run", manifest)
    assert result.returncode == 2, result.stderr
    assert str(manifest) in result.stderr
    if line:
        assert f"{manifest}:{line}: {field}:" in result.stderr, result.stderr
    if "paht" in body:
        assert "did you mean 'path'?" in result.stderr
    assert not (tmp_path / "c").exists()


# --- a glob over one folder: listed once, matched as glob matches ------------------------

NAMES = st.lists(st.from_regex(r"\.?[ab]{1,2}(\.(txt|yaml|yml|TXT))?", fullmatch=True),
                 max_size=8, unique=True)


@settings(max_examples=40, deadline=None)
@given(names=NAMES, pattern=st.sampled_from(["*", "*.txt", ".*", "?.txt", "[a]*", "a*.y*l",
                                              "b.txt"]))
def test_a_glob_over_one_folder_matches_what_glob_matches_less_the_sidecars(names, pattern):
    from archivekit.capture.catalog import FolderFiles, is_sidecar
    from archivekit.collection.jobs import load_manifest
    with tempfile.TemporaryDirectory() as tmp:
        inbox = Path(tmp, "inbox")
        inbox.mkdir()
        for name in names:
            (inbox / name).write_text("A Headline\n\nSome text.\n")
        (inbox / "folder.txt").mkdir()            # a folder is never a source
        manifest = Path(tmp, "job.yaml")
        manifest.write_text(f"collection: c\nsources:\n  - glob: 'inbox/{pattern}'\n")
        listing = FolderFiles(inbox)
        expected = sorted(path for path in glob.glob(str(inbox / pattern))
                          if os.path.isfile(path) and not is_sidecar(Path(path), listing))
        assert [str(spec.path) for spec in load_manifest(manifest).specs()] == expected



def test_a_glob_names_its_files_as_a_path_entry_does(tmp_path):
    """A glob from the manifest's folder (`../samples/*.png`) named its files with the
    `..` kept, so the same file was two sources in reports and the catalog."""
    from archivekit.collection.jobs import load_manifest
    (tmp_path / "samples").mkdir()
    (tmp_path / "samples" / "scan.txt").write_text("A Headline\n\nSome text.\n")
    (tmp_path / "manifests").mkdir()
    (tmp_path / "linked").symlink_to(tmp_path / "samples")
    manifest = tmp_path / "manifests" / "job.yaml"
    manifest.write_text("collection: c\nsources:\n  - path: ../samples/scan.txt\n"
                        "  - glob: ../samples/*.txt\n  - glob: ../linked/s*.txt\n"
                        "  - glob: ../samples/scan.txt\n")
    assert [spec.path for spec in load_manifest(manifest).specs()] \
        == [tmp_path / "samples" / "scan.txt"] * 4
