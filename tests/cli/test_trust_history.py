"""The goal of issue 14, end to end through the CLI: a collection survives three key
rotations and one compromise, with every honest package still verifying and every
forged one caught.

The collection's policy timestamps every seal (a real openssl TSA on 127.0.0.1), so a
seal made with the compromised key before the theft keeps its proof of time."""

import json
import shutil
import time
from datetime import datetime, timezone
from pathlib import Path

from archivekit._internal.timeutil import format_time
from archivekit.formats.seal import Envelope
from archivekit.trust.timestamp import request_token
from conftest import SEED, reseal, signing_key
from support.tsa import trust_tsa


def audit(cli, job) -> dict:
    """Every package of the collection by name, as the run's audit found it (the report
    names the failures; it audited every package, so the others verified)."""
    result = cli("run", job, "--json")
    assert result.stdout, result.stderr
    report = json.loads(result.stdout)
    assert report["failed"] == [], report["failed"]   # each new clipping captured, or why not
    names = [p.name for p in (Path(report["collection"]) / "packages").iterdir()]
    assert report["audited"] == len(names), report
    failed = {f["package"]: f["errors"] for f in report["audit_failures"]}
    return {name: {"verified": name not in failed, "errors": failed.get(name, [])}
            for name in names}


def add_source(tmp_path, job, number):
    """A new clipping for the job: the seed with a line of its own (new bytes)."""
    source = tmp_path / "sources" / f"clipping-{number}.txt"
    source.parent.mkdir(exist_ok=True)
    source.write_bytes(SEED.read_bytes() + f"\nClipping {number}.\n".encode())
    job.write_text(job.read_text() + f"  - path: {source}\n")


def forge(package: Path, into: Path, name: str, key, sealed_at: str, tsa_url=None) -> str:
    """A copy of `package` under a new name, re-sealed with `key` as if made at `sealed_at`."""
    forged = into / name
    shutil.copytree(package, forged)
    descriptor = forged / "archivekit" / "package.json"
    document = json.loads(descriptor.read_text())
    document["id"] = name
    descriptor.write_text(json.dumps(document))
    reseal(forged, key, sealed_at=sealed_at)
    if tsa_url:
        seal_file = next((forged / "signatures").glob("*.dsse.json"))
        signature = Envelope.parse(seal_file.read_bytes()).signatures[0][1]
        seal_file.with_name(seal_file.name.replace(".dsse.json", ".tsr")).write_bytes(
            request_token(tsa_url, signature))
    return name


def test_three_rotations_and_a_compromise(cli, tmp_path, tsa):
    collection = tmp_path / "coll"
    assert cli("collection", "init", collection).returncode == 0
    config = collection / "collection.yaml"
    config.write_text(config.read_text().replace("policy:", f"policy:\n  tsa: {tsa.url()}"))
    trust_tsa(cli, tsa, tmp_path)
    job = tmp_path / "job.yaml"
    job.write_text(f"collection: {collection}\nsources:\n")
    honest = {}

    add_source(tmp_path, job, 0)                         # sealed by the automatic 'local' key
    first = audit(cli, job)
    honest["local"] = set(first)
    previous = "local"
    for number, name in enumerate(["desk-2027", "desk-2028", "desk-2029"], 1):   # 3 rotations
        made = cli("keys", "generate", name, "--default", "--organization", "City Library")
        assert made.returncode == 0, made.stderr
        time.sleep(1.1)   # times have whole seconds: the retirement comes after the last seal
        assert cli("keys", "retire", previous).returncode == 0
        add_source(tmp_path, job, number)
        results = audit(cli, job)
        assert all(r["verified"] for r in results.values()), results
        honest[name] = set(results) - set().union(*honest.values())
        previous = name
    assert len(list((collection / "tlog/transitions").iterdir())) == 3     # three hand-overs

    time.sleep(1.1)                                      # the theft comes after every honest seal
    stolen_at = datetime.now(timezone.utc).replace(microsecond=0)
    time.sleep(1.1)
    thief = signing_key(cli, "desk-2029")
    victim = collection / "packages" / sorted(honest["desk-2028"])[0]
    before = format_time(stolen_at.replace(year=stolen_at.year - 1))
    forged = {
        forge(victim, collection / "packages", "forged-backdated", thief, before),
        forge(victim, collection / "packages", "forged-stamped", thief, before, tsa.url()),
        forge(victim, collection / "packages", "forged-retired-key",
              signing_key(cli, "desk-2027"), format_time(datetime.now(timezone.utc))),
    }
    stranger = {"ARCHIVEKIT_HOME": str(tmp_path / "stranger")}
    assert cli("keys", "generate", "mallory", env=stranger).returncode == 0
    forged.add(forge(victim, collection / "packages", "forged-unknown-key",
                     signing_key(cli.__class__(tmp_path / "stranger"), "mallory"), before))
    tampered = collection / "packages" / sorted(honest["local"])[0]
    warc = next(p for p in (tampered / "data").rglob("*") if p.is_file())
    data = bytearray(warc.read_bytes())
    data[len(data) // 2] ^= 1                              # one bit, in an honest package
    warc.write_bytes(bytes(data))

    # The compromise is found: the key is revoked from the time of the theft, and replaced.
    revoked = cli("trust", "revoke", "desk-2029", "--reason", "laptop stolen",
                  "--at", format_time(stolen_at))
    assert revoked.returncode == 0 and "compromised" in revoked.stdout
    assert cli("keys", "generate", "desk-2030", "--default").returncode == 0
    add_source(tmp_path, job, 4)
    results = audit(cli, job)

    still_honest = set().union(*honest.values()) - {tampered.name}
    assert {p for p, r in results.items() if r["verified"]} >= still_honest
    for name in forged | {tampered.name}:
        assert not results[name]["verified"], name
    codes = {name: {e.split()[0] for e in results[name]["errors"]} for name in forged}
    assert "AK514" in codes["forged-backdated"]          # a claimed time before the theft
    assert "AK510" in codes["forged-stamped"]            # a timestamp after it
    assert "AK516" in codes["forged-retired-key"]        # a retired key signs nothing new
    assert "AK507" in codes["forged-unknown-key"]
    assert any(e.startswith(("AK203", "AK30")) for e in results[tampered.name]["errors"])
    newest = set(results) - still_honest - forged - {tampered.name}
    assert len(newest) == 1 and results[newest.pop()]["verified"]

    # Every honest package also verifies alone, and a partner following the history agrees.
    partner = {"ARCHIVEKIT_HOME": str(tmp_path / "partner")}
    assert cli("trust", "export", tmp_path / "history.yaml").returncode == 0
    assert cli("trust", "import", tmp_path / "history.yaml", env=partner).returncode == 0
    for name in still_honest:
        result = cli("verify", collection / "packages" / name, "--json", env=partner)
        assert result.returncode == 0, result.stdout
    for name in forged:
        assert cli("verify", collection / "packages" / name, env=partner).returncode == 1
