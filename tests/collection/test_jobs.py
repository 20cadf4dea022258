"""Job manifests: a bad one names its file, line and field."""

import pytest


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
