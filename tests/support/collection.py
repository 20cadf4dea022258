"""Collections for tests: job manifests, folders of clippings, run reports, the audit log."""

import json
from pathlib import Path


def write_manifest(tmp_path, sources, audit=None, extra="") -> Path:
    lines = [f"collection: {tmp_path / 'coll'}", "name: Test collection", "sources:"]
    for source in sources:
        lines.append(f"  - {source}")
    if audit:
        lines.append(f"audit: {audit}")
    path = tmp_path / "job.yaml"
    path.write_text("\n".join(lines) + "\n" + extra)
    return path


def clippings(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        (folder / f"clip-{number:03d}.txt").write_text(
            f"Council Votes on Budget Item {number}\n\nBy Jane Doe\n\n"
            f"The council voted {number} times on the matter, officials said.\n")
    return folder


def run_json(cli, *args):
    result = cli("run", *args, "--json")
    return result, (json.loads(result.stdout) if result.stdout.strip() else None)


def log_entries(collection: Path):
    return [json.loads(line) for line in (collection / "audit.jsonl").read_text().splitlines()]
