"""The cataloguer's sidecar: schema fields read as written, unknown fields kept and
warned about, and any YAML at all either read or refused with a clear message."""

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from archivekit.capture.catalog import FIELDS, catalog_from_node, is_sidecar, load_catalog
from archivekit.errors import ArchivekitError, UsageError


def read(text: str):
    return catalog_from_node(yaml.compose(text, Loader=yaml.SafeLoader), "side.yaml")


@pytest.mark.parametrize("written", ["027.4", "1e3", "0x1F", "2023-12-28", "true", "null",
                                     "~", "12:30", "0o17", ".inf", "001"])
def test_text_fields_keep_the_characters_typed(written):
    assert read(f"call_number: {written}\n").fields == {"call_number": written}


def test_list_fields_take_a_list_or_one_value():
    fields = read("subjects: [Libraries, 027.4]\ncreators: Jane Doe\n").fields
    assert fields == {"subjects": ["Libraries", "027.4"], "creators": ["Jane Doe"]}


def test_unknown_fields_are_kept_and_warned_with_the_nearest_name():
    result = read("title: A\nrihgts: CC BY\nzzzz: 3\n")
    assert result.fields == {"title": "A", "rihgts": "CC BY", "zzzz": 3}
    assert result.warnings == [
        "side.yaml:2: rihgts: not a catalog field (did you mean 'rights'?); kept as given",
        "side.yaml:3: zzzz: not a catalog field; kept as given"]


@pytest.mark.parametrize("text,message", [
    ("- a\n- b\n", "a catalog must be a mapping"),
    ("title: [a, b]\n", "side.yaml:1: title: expected text, found a list"),
    ("subjects: [[a]]\n", "subjects[0]: expected text, found a list"),
    ("title: a\ntitle: b\n", "field 'title' is given twice"),
])
def test_wrong_shapes_are_refused_by_name(text, message):
    with pytest.raises(UsageError) as caught:
        read(text)
    assert message in caught.value.message


def test_files_name_themselves_in_errors(tmp_path):
    (tmp_path / "bad.yaml").write_bytes(b"\xff\xfe")
    with pytest.raises(ArchivekitError, match="bad.yaml: catalog file is not UTF-8"):
        load_catalog(tmp_path / "bad.yaml")
    with pytest.raises(ArchivekitError, match="missing.yaml: no such catalog file"):
        load_catalog(tmp_path / "missing.yaml")


def test_a_yaml_file_is_a_sidecar_only_beside_its_clipping(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "a.yaml").write_text("title: x\n")
    (tmp_path / "lonely.yaml").write_text("title: x\n")
    assert is_sidecar(tmp_path / "a.yaml") and not is_sidecar(tmp_path / "lonely.yaml")
    assert not is_sidecar(tmp_path / "a.txt")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_read_or_refused_clearly(text):
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return   # load_catalog turns these into "not valid YAML" (tested above)
    except ValueError:
        return   # PyYAML's own limits on odd characters, also reported by load_catalog
    try:
        result = catalog_from_node(node, "side.yaml")
    except UsageError as exc:
        assert exc.message.startswith("side.yaml")
        return
    for name, value in result.fields.items():
        if name in FIELDS:
            assert isinstance(value, (str, list))


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(FIELDS)),
                       st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30),
                       max_size=6))
def test_strings_round_trip_through_yaml(fields):
    text = yaml.safe_dump(fields)   # (allow_unicode=True loses a lone U+0085 in PyYAML itself)
    expected = {k: [v] if FIELDS[k][0] == "list" else v for k, v in fields.items()}
    assert read(text).fields == expected


def test_every_field_is_documented_with_its_kind_and_dublin_core_term():
    from conftest import ROOT
    text = (ROOT / "docs/catalog.md").read_text()
    missing = [name for name, (kind, term) in FIELDS.items()
               if f"| `{name}` | {kind} | {term} |" not in text]
    assert not missing, f"document these in docs/catalog.md: {missing}"
