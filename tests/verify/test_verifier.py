"""The tamper suite: each mutation of a sealed package is caught with its own code.

Every case runs the real CLI (`archivekit verify --json`) and expects exit 1 and
the named finding codes. Forgers who recompute every manifest and re-seal are
modelled by `reseal`; only the trust store tells their seal from ours.
"""

import json
import os
import shutil
import unicodedata
from pathlib import Path
from datetime import datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from archivekit.trust.keys import SigningKey
from archivekit.trust.truststore import TrustStore
from archivekit._internal.timeutil import format_time
from conftest import SAMPLES, reseal, signing_key
from support.tamper import WARC, edit_descriptor, flip_compressed_byte, members, rewrite_member


def attacker_key():
    return SigningKey("attacker", Ed25519PrivateKey.generate())


def flip_record_byte(bag, cli):
    def change(record):
        at = record.index(b"Chinese Spy Agency")
        return record[:at] + b"X" + record[at + 1:]
    rewrite_member(bag, 1, change)


def truncate_member(bag, cli):
    data = (bag / WARC).read_bytes()
    (bag / WARC).write_bytes(data[:-40])


def add_payload_file(bag, cli):
    (bag / "data/extra.txt").write_text("slipped in later\n")


def remove_payload_file(bag, cli):
    (bag / WARC).unlink()


def edit_bag_info(bag, cli):
    path = bag / "bag-info.txt"
    path.write_text(path.read_text().replace("Contact-Name:", "Contact-Name: Mallory and"))


def edit_descriptor_headline(bag, cli):
    path = bag / "archivekit/package.json"
    path.write_text(path.read_text().replace("Chinese Spy Agency", "Chinese Spy Agenda"))


def resign_with_untrusted_key(bag, cli):
    edit_descriptor(bag, lambda d: d["catalog"].update(call_number="FORGED"))
    reseal(bag, attacker_key())


def copy_seal_from_other_package(bag, cli, other):
    shutil.rmtree(bag / "signatures")
    shutil.copytree(other / "signatures", bag / "signatures")


def remove_all_seals(bag, cli):
    shutil.rmtree(bag / "signatures")


def embed_attacker_public_key(bag, cli):
    key = attacker_key()
    edit_descriptor(bag, lambda d: d["catalog"].update(rights="public domain"))
    reseal(bag, key)
    from archivekit.trust.keys import public_pem
    pem = public_pem(key.public_key)
    (bag / "signatures/trusted-key.pem").write_text(pem)
    seal_file = next((bag / "signatures").glob("*.dsse.json"))
    envelope = json.loads(seal_file.read_text())
    envelope["signatures"][0]["publicKey"] = pem
    seal_file.write_text(json.dumps(envelope))


def duplicate_keys_in_descriptor(bag, cli):
    path = bag / "archivekit/package.json"
    text = path.read_text()
    path.write_text(text.replace('{\n  "agent"', '{\n  "id": "another-id",\n  "agent"', 1))
    reseal(bag, signing_key(cli))


def revoke_key_before_seal(bag, cli):
    store = TrustStore.load(cli.home / "trust.yaml")
    store.revoke(store.keys[0].key_id, "private key stolen",
                 datetime(2020, 1, 1, tzinfo=timezone.utc))
    store.save()


def seal_dated_in_future(bag, cli):
    future = format_time(datetime.now(timezone.utc) + timedelta(days=30))
    reseal(bag, signing_key(cli), sealed_at=future)


def symlink_in_package(bag, cli):
    os.symlink("/etc/passwd", bag / "data/passwd")


def dotdot_path_in_manifest(bag, cli):
    path = bag / "manifest-sha256.txt"
    path.write_text(path.read_text() + "0" * 64 + "  data/../../outside.txt\n")


def nfc_nfd_name_pair(bag, cli):
    name = "café.txt"
    (bag / "data" / unicodedata.normalize("NFC", name)).write_text("one")
    (bag / "data" / unicodedata.normalize("NFD", name)).write_text("two")
    reseal(bag, signing_key(cli))


def payload_oxum_edited(bag, cli):
    path = bag / "bag-info.txt"
    lines = [("Payload-Oxum: 1.1" if line.startswith("Payload-Oxum") else line)
             for line in path.read_text().splitlines()]
    path.write_text("\n".join(lines) + "\n")


def manifest_digest_edited(bag, cli):
    path = bag / "manifest-sha512.txt"
    text = path.read_text()
    path.write_text(("f" if text[0] != "f" else "e") + text[1:])


def tagmanifest_line_removed(bag, cli):
    for name in ("tagmanifest-sha256.txt", "tagmanifest-sha512.txt"):
        path = bag / name
        path.write_text("".join(line for line in path.read_text().splitlines(True)
                                if "package.json" not in line))


def signature_bytes_flipped(bag, cli):
    seal_file = next((bag / "signatures").glob("*.dsse.json"))
    envelope = json.loads(seal_file.read_text())
    sig = envelope["signatures"][0]["sig"]
    envelope["signatures"][0]["sig"] = ("B" if sig[0] != "B" else "C") + sig[1:]
    seal_file.write_text(json.dumps(envelope))


def payload_type_changed(bag, cli):
    seal_file = next((bag / "signatures").glob("*.dsse.json"))
    envelope = json.loads(seal_file.read_text())
    envelope["payloadType"] = "application/vnd.in-toto+json"
    seal_file.write_text(json.dumps(envelope))


def envelope_not_json(bag, cli):
    next((bag / "signatures").glob("*.dsse.json")).write_text("{not json")


def bagit_txt_removed(bag, cli):
    (bag / "bagit.txt").unlink()


def metadata_record_removed_and_resealed(bag, cli):
    parts = members(bag / WARC)
    (bag / WARC).write_bytes(b"".join(parts[:2]))
    reseal(bag, signing_key(cli))


def unexpected_tag_file(bag, cli):
    (bag / "archivekit/notes.txt").write_text("added after sealing\n")


def key_expired_before_seal(bag, cli):
    store = TrustStore.load(cli.home / "trust.yaml")
    store.keys[0].not_before = datetime(2019, 1, 1, tzinfo=timezone.utc)
    store.keys[0].not_after = datetime(2020, 1, 1, tzinfo=timezone.utc)
    store.save()


def unknown_format_resealed(bag, cli):
    edit_descriptor(bag, lambda d: d.update(format="archivekit-package/9"))
    reseal(bag, signing_key(cli))


def directory_renamed(bag, cli):
    target = bag.parent / "renamed-package"
    bag.rename(target)
    return target


def descriptor_metadata_differs_resealed(bag, cli):
    edit_descriptor(bag, lambda d: d["metadata"].update(headline="A Different Story"))
    reseal(bag, signing_key(cli))


def body_reference_differs_resealed(bag, cli):
    """The body is stored once, in the WARC; the descriptor's digest of it must match."""
    def change(descriptor):
        assert set(descriptor["metadata"]["body"]) == {"sha256", "bytes"}
        descriptor["metadata"]["body"]["sha256"] = "0" * 64
    edit_descriptor(bag, change)
    reseal(bag, signing_key(cli))


def events_out_of_order_resealed(bag, cli):
    edit_descriptor(bag, lambda d: d["events"].reverse())
    reseal(bag, signing_key(cli))


def source_digest_wrong_resealed(bag, cli):
    edit_descriptor(bag, lambda d: d["sources"][0].update(sha256="0" * 64))
    reseal(bag, signing_key(cli))


def created_after_seal_resealed(bag, cli):
    edit_descriptor(bag, lambda d: d.update(created="2030-01-01T00:00:00Z"))
    reseal(bag, signing_key(cli), sealed_at="2029-01-01T00:00:00Z")


def record_digest_header_rewritten(bag, cli):
    def change(record):
        head, _, rest = record.partition(b"\r\n\r\n")
        lines = [line for line in head.split(b"\r\n") if not line.startswith(b"WARC-Block-Digest")]
        lines.append(b"WARC-Block-Digest: sha256:" + b"0" * 64)
        return b"\r\n".join(lines) + b"\r\n\r\n" + rest
    rewrite_member(bag, 0, change)
    reseal(bag, signing_key(cli))


CASES = [
    (flip_compressed_byte, {"AK203", "AK301"}),
    (flip_record_byte, {"AK203", "AK306"}),
    (truncate_member, {"AK203", "AK302"}),
    (add_payload_file, {"AK202", "AK204"}),
    (remove_payload_file, {"AK201", "AK103"}),
    (edit_bag_info, {"AK205"}),
    (edit_descriptor_headline, {"AK205", "AK405"}),
    (resign_with_untrusted_key, {"AK507"}),
    (remove_all_seals, {"AK501"}),
    (embed_attacker_public_key, {"AK507", "AK512", "AK513"}),
    (duplicate_keys_in_descriptor, {"AK401"}),
    (revoke_key_before_seal, {"AK510"}),
    (seal_dated_in_future, {"AK604"}),
    (symlink_in_package, {"AK105"}),
    (dotdot_path_in_manifest, {"AK104"}),
    (nfc_nfd_name_pair, {"AK106"}),
    (payload_oxum_edited, {"AK204", "AK205", "AK511"}),
    (manifest_digest_edited, {"AK203", "AK205"}),
    (tagmanifest_line_removed, {"AK107", "AK505"}),
    (signature_bytes_flipped, {"AK508"}),
    (payload_type_changed, {"AK503"}),
    (envelope_not_json, {"AK502"}),
    (bagit_txt_removed, {"AK101"}),
    (metadata_record_removed_and_resealed, {"AK309", "AK405"}),
    (unexpected_tag_file, {"AK107"}),
    (key_expired_before_seal, {"AK509"}),
    (unknown_format_resealed, {"AK403"}),
    (directory_renamed, {"AK404"}),
    (descriptor_metadata_differs_resealed, {"AK405"}),
    (events_out_of_order_resealed, {"AK601"}),
    (source_digest_wrong_resealed, {"AK602"}),
    (created_after_seal_resealed, {"AK603"}),
    (record_digest_header_rewritten, {"AK306", "AK309"}),
]


@pytest.mark.parametrize("mutate,codes", CASES, ids=[c[0].__name__ for c in CASES])
def test_mutation_is_detected(package, mutate, codes):
    cli, bag = package
    bag = mutate(bag, cli) or bag
    result, report = cli.verify_json(bag)
    found = {f["code"] for f in report["packages"][0]["findings"]}
    assert result.returncode == 1, result.stdout
    assert codes <= found, f"expected {codes}, found {found}"
    assert "Traceback" not in result.stderr and "AK199" not in found


def test_a_wrong_digest_of_the_body_is_found(package):
    cli, bag = package
    body_reference_differs_resealed(bag, cli)
    result, report = cli.verify_json(bag)
    found = {f["code"] for f in report["packages"][0]["findings"]}
    assert result.returncode == 1 and "AK405" in found, found


def test_a_descriptor_holding_the_body_whole_still_verifies(package):
    """Packages written before the body was referenced by digest hold it whole."""
    import gzip
    cli, bag = package
    record = gzip.decompress(members(bag / WARC)[-1])          # the metadata record
    whole = json.loads(record.split(b"\r\n\r\n", 1)[1])
    assert isinstance(whole["body"], str)
    edit_descriptor(bag, lambda d: d.update(metadata=whole))
    reseal(bag, signing_key(cli))
    result, report = cli.verify_json(bag)
    assert result.returncode == 0, result.stdout


def test_seal_copied_from_another_package(package, tmp_path):
    cli, bag = package
    made = cli("capture", SAMPLES / "scan-clipping.png", "--out", tmp_path / "other")
    copy_seal_from_other_package(bag, cli, Path(made.stdout.strip()))
    result, report = cli.verify_json(bag)
    found = {f["code"] for f in report["packages"][0]["findings"]}
    assert result.returncode == 1 and {"AK505", "AK506"} <= found


def test_the_suite_has_at_least_25_distinct_mutations():
    """At least 25 mutations, no two expecting the same set of finding codes."""
    assert len(CASES) >= 25
    assert len({frozenset(codes) for _, codes in CASES}) == len(CASES)


def test_pristine_copy_verifies(package):
    """The control: the unmodified copy passes, so every failure above is the mutation's."""
    cli, bag = package
    result, report = cli.verify_json(bag)
    assert result.returncode == 0 and report["verified"], result.stdout


def test_digest_in_another_spelling_still_verifies(package):
    """Readers accept base32, upper case and `sha-256:` labels (IIPC guidance)."""
    import base64
    import hashlib
    cli, bag = package

    def respell(record):
        head, _, rest = record.partition(b"\r\n\r\n")
        lines = []
        for line in head.split(b"\r\n"):
            if line.startswith(b"WARC-Block-Digest"):
                block = rest[:-4]
                b32 = base64.b32encode(hashlib.sha256(block).digest()).rstrip(b"=")
                line = b"WARC-Block-Digest: SHA-256:" + b32
            lines.append(line)
        return b"\r\n".join(lines) + b"\r\n\r\n" + rest
    rewrite_member(bag, 0, respell)
    edit_descriptor(bag, lambda d: [r.update(offset=o, length=n) for r, (o, n) in zip(
        d["records"], _offsets(bag))])
    reseal(bag, signing_key(cli))
    result, report = cli.verify_json(bag)
    assert result.returncode == 0, result.stdout


def _offsets(bag):
    data = (bag / WARC).read_bytes()
    offsets, at = [], 0
    while at < len(data):
        decompressor = __import__("zlib").decompressobj(31)
        decompressor.decompress(data[at:])
        length = len(data) - at - len(decompressor.unused_data)
        offsets.append((at, length))
        at += length
    return offsets


@pytest.mark.parametrize("field, value, header", [
    ("uri", "https://example.org/another-story", "WARC-Target-URI"),
    ("retrieved", "2001-01-01T00:00:00Z", "WARC-Date"),
    ("media_type", "text/html", "Content-Type"),
])
def test_every_fact_the_descriptor_repeats_from_the_warc_is_checked(package, field, value, header):
    """Re-sealed by the key holder, a descriptor still may not contradict its WARC."""
    cli, bag = package
    edit_descriptor(bag, lambda d: d["sources"][0].update({field: value}))
    reseal(bag, signing_key(cli))
    result, report = cli.verify_json(bag)
    assert result.returncode == 1
    [finding] = [f for f in report["packages"][0]["findings"] if f["code"] == "AK602"]
    assert f"sources[0] {field} differs from its record's {header}" == finding["message"]
    assert finding["found"] == value
