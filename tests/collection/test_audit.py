"""Audits of a collection: tampering between audits, missing packages, policies, workers."""

import dataclasses
import json
import shutil
import time

import pytest

from archivekit.collection.audit import AuditPolicy
from archivekit.errors import UsageError

from conftest import SAMPLES, SEED
from support.collection import clippings, log_entries, write_manifest


def test_tampering_between_audits_is_caught_and_logged(cli, tmp_path):
    manifest = write_manifest(tmp_path, [f"path: {SEED}", f"path: {SAMPLES / 'scan-clipping.png'}"])
    assert cli("run", manifest).returncode == 0
    package = next(p for p in (tmp_path / "coll/packages").iterdir() if "spy-agency" in p.name)
    warc = package / "data/clipping.warc.gz"
    data = bytearray(warc.read_bytes())
    data[len(data) // 2] ^= 0xFF
    warc.write_bytes(bytes(data))
    audited = cli("audit", tmp_path / "coll", "--json")
    assert audited.returncode == 1
    report = json.loads(audited.stdout)
    outcome = {a["package"]: a["verified"] for a in report["audited"]}
    assert outcome[package.name] is False and list(outcome.values()).count(True) == 1
    failures = [e for e in log_entries(tmp_path / "coll")
                if e["type"] == "fixity check" and e["outcome"] == "failure"]
    assert [e["package"] for e in failures] == [package.name]
    assert "AK203" in failures[0]["detail"]
    listed = {r["id"]: r["last_outcome"] for r in json.loads(
        cli("list", tmp_path / "coll", "--json").stdout)}
    assert listed[package.name] == "failure"


def test_a_package_removed_from_disk_fails_the_audit(cli, tmp_path):
    manifest = write_manifest(tmp_path, [f"path: {SEED}"])
    assert cli("run", manifest).returncode == 0
    shutil.rmtree(next((tmp_path / "coll/packages").iterdir()))
    audited = cli("audit", tmp_path / "coll")
    assert audited.returncode == 1 and "missing" in audited.stdout


def test_parallel_and_serial_audits_agree(cli, tmp_path):
    folder = clippings(tmp_path / "inbox", 6)
    manifest = write_manifest(tmp_path, [f"glob: {folder}/*.txt"])
    assert cli("run", manifest).returncode == 0
    one = json.loads(cli("audit", tmp_path / "coll", "--workers", "1", "--json").stdout)
    two = json.loads(cli("audit", tmp_path / "coll", "--workers", "2", "--json").stdout)
    assert one["audited"] == two["audited"] and len(one["audited"]) == 6


def test_fraction_policy_checks_the_least_recently_checked(cli, tmp_path):
    folder = clippings(tmp_path / "inbox", 4)
    manifest = write_manifest(tmp_path, [f"glob: {folder}/*.txt"], "{policy: fraction, fraction: 0.5}")
    first = json.loads(cli("run", manifest, "--json").stdout)
    time.sleep(1.1)   # audit times have one-second resolution
    second = json.loads(cli("run", manifest, "--json").stdout)
    first_ids = {a["package"] for a in first["audited"]}
    second_ids = {a["package"] for a in second["audited"]}
    assert len(first_ids) == len(second_ids) == 2 and not first_ids & second_ids


@pytest.mark.parametrize("collection_policy, given, expected", [
    ({}, {}, ("all", 1.0, 30)),
    ({"audit": "stale", "days": 7}, {}, ("stale", 1.0, 7)),
    ({"audit": "stale", "days": 7}, {"mode": "fraction", "fraction": 0.25}, ("fraction", 0.25, 7)),
    ({"audit": "fraction", "fraction": 0.5}, {"days": 0}, ("fraction", 0.5, 0)),
])
def test_the_audit_policy_is_the_collections_with_what_is_given_instead(
        collection_policy, given, expected):
    policy = AuditPolicy.of(collection_policy, **given)
    assert (policy.mode, policy.fraction, policy.days) == expected
    with pytest.raises(dataclasses.FrozenInstanceError):
        policy.mode = "all"


def test_an_unknown_audit_policy_is_a_usage_error():
    with pytest.raises(UsageError, match="'sometimes': must be one of all, fraction, stale"):
        AuditPolicy.of({"audit": "sometimes"})
