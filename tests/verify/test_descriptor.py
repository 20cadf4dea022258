"""The descriptor's schema (verify/descriptor.py): each defect is AK402, in its own words."""

import json

import pytest

from archivekit.formats import layout
from conftest import verify_here
from support.tamper import edit_descriptor, rewrite_member


def _drop(*keys):
    def change(descriptor):
        target = descriptor
        for key in keys[:-1]:
            target = target[key]
        del target[keys[-1]]
    return change


@pytest.mark.parametrize("change, words", [
    (_drop("id"), "package.json lacks 'id'"),
    (lambda d: d.update(records="none"), "package.json 'records' has the wrong type"),
    (_drop("records", 0, "offset"), "records[0] lacks one of"),
    (_drop("sources", 0, "sha256"), "sources[0] lacks one of"),
    (lambda d: d["metadata"].update(headline=5), "package.json metadata.headline is not a "
     "string"),
])
def test_schema_defects(package, change, words):
    cli, bag = package
    edit_descriptor(bag, change)
    report = verify_here(cli, bag)
    assert any(f.message.startswith(words) for f in report.findings if f.code == "AK402"), \
        report.findings


def test_a_descriptor_that_is_not_an_object(package):
    cli, bag = package
    (bag / layout.DESCRIPTOR_PATH).write_text("[]\n")
    report = verify_here(cli, bag)
    assert [f.message for f in report.findings if f.code == "AK402"] == [
        "package.json is not a JSON object"]


def test_records_the_descriptor_does_not_list(package):
    cli, bag = package
    edit_descriptor(bag, lambda d: d["records"].pop())
    report = verify_here(cli, bag)
    assert "record in the WARC is not listed in package.json" in [
        f.message for f in report.findings if f.code == "AK309"]


def test_a_metadata_record_that_is_not_json(package):
    cli, bag = package
    records = json.loads((bag / layout.DESCRIPTOR_PATH).read_text())["records"]
    index = [r["type"] for r in records].index("metadata")

    def spoil(record: bytes) -> bytes:   # the block's first byte: '{' becomes 'x'
        head, blank, block = record.partition(b"\r\n\r\n")
        return head + blank + b"x" + block[1:]
    rewrite_member(bag, index, spoil)
    report = verify_here(cli, bag)
    assert any(f.message.startswith("metadata record is not strict JSON")
               for f in report.findings if f.code == "AK405"), report.findings
