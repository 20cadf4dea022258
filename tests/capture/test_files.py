"""A file source: read and hashed once, in chunks, its media type sniffed; bad files
refused naming the file and the problem; a file that changes while it is captured is
refused, not recorded."""

import hashlib
import io
import os
import threading

import pytest
from hypothesis import given, settings, strategies as st

from archivekit.capture import files
from archivekit.errors import InputError
from archivekit.formats.warc import ClippingWarcWriter

DATE = "2026-12-02T04:00:00Z"


@settings(max_examples=30, deadline=None)
@given(size=st.integers(1, 30_000), pattern=st.binary(min_size=1, max_size=64),
       chunk=st.sampled_from([7, 4096, 1 << 20]))
def test_size_and_digest_are_the_files_however_it_is_read(tmp_path_factory, size, pattern, chunk):
    data = (pattern * (size // len(pattern) + 1))[:size]
    path = tmp_path_factory.mktemp("f") / "clip.bin"
    path.write_bytes(data)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(files, "CHUNK", chunk)                  # past the 8 KiB head in pieces
        source = files.read_file_source(path)
    assert (source.size, source.sha256) == (len(data), hashlib.sha256(data).hexdigest())


def test_a_text_file_is_text_in_utf8_named_by_its_content_unless_an_address_is_given(tmp_path):
    path = tmp_path / "clipping.txt"
    path.write_text("Headline\n\nBy Ann Lee\n", "utf-8")
    source = files.read_file_source(path)
    assert (source.media_type, source.filename, source.url) == (
        "text/plain; charset=utf-8", "clipping.txt", None)
    assert source.target_uri == f"urn:archivekit:source:sha256:{source.sha256}"
    assert str(tmp_path) not in source.target_uri                      # never a local path
    given = files.read_file_source(path, url="https://paper.example/a")
    assert given.target_uri == "https://paper.example/a"
    assert given.retrieved.utcoffset().total_seconds() == 0


def test_extraction_reads_at_most_its_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "EXTRACTABLE_LIMIT", 10)
    path = tmp_path / "long.txt"
    path.write_bytes(b"0123456789 and more")
    assert files.read_file_source(path).read_for_extraction() == b"0123456789"


def _fifo(path):
    os.mkfifo(path)


@pytest.mark.parametrize("make, problem", [
    (lambda path: None, "no such file"),
    (lambda path: path.mkdir(), "is a folder without bagit.txt"),
    (_fifo, "not a regular file"),
    (lambda path: path.write_bytes(b""), "file is empty; there is nothing to preserve"),
    (lambda path: path.symlink_to(path), "cannot read: Too many levels of symbolic links"),
])
def test_a_file_that_cannot_be_captured_is_refused_naming_it(tmp_path, make, problem):
    path = tmp_path / "clip.txt"
    make(path)
    refused = []
    # on a thread: reading a FIFO as a file would wait for ever for a writer
    reading = threading.Thread(target=_refusal, args=(path, refused), daemon=True)
    reading.start()
    reading.join(10)
    assert not reading.is_alive(), f"reading {path} did not return"
    assert refused[0].message.startswith(f"{path}: ")
    assert problem in refused[0].message


def _refusal(path, refused: list):
    with pytest.raises(InputError) as caught:
        files.read_file_source(path)
    refused.append(caught.value)


def test_the_record_holds_the_file_and_the_descriptor_entry_says_so(tmp_path):
    path = tmp_path / "clip.pdf"
    path.write_bytes(b"%PDF-1.4 a clipping")
    source = files.read_file_source(path, url="https://paper.example/clip.pdf")
    out = io.BytesIO()
    entry = files.write_file_records(source, ClippingWarcWriter(out), DATE)
    assert entry == {"kind": "file", "uri": "https://paper.example/clip.pdf",
                     "filename": "clip.pdf", "retrieved": DATE, "media_type": "application/pdf",
                     "bytes": 19, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                     "record_id": entry["record_id"]}
    assert entry["record_id"].startswith("<urn:uuid:")


@pytest.mark.parametrize("change", [b"%PDF-1.4 A clipping", b"%PDF-1.4 a clipping, longer"])
def test_a_file_changed_after_it_was_read_is_refused(tmp_path, change):
    path = tmp_path / "clip.pdf"
    path.write_bytes(b"%PDF-1.4 a clipping")
    source = files.read_file_source(path)
    path.write_bytes(change)
    with pytest.raises(InputError, match="clip.pdf: the file changed while it was being captured"):
        files.write_file_records(source, ClippingWarcWriter(io.BytesIO()), DATE)


def test_a_file_gone_before_it_is_recorded_is_refused_naming_it(tmp_path):
    path = tmp_path / "clip.txt"
    path.write_text("words")
    source = files.read_file_source(path)
    path.unlink()
    with pytest.raises(InputError, match="clip.txt: cannot read: No such file"):
        files.write_file_records(source, ClippingWarcWriter(io.BytesIO()), DATE)


def test_a_file_whose_name_is_not_utf8_is_refused_by_its_name_escaped(tmp_path):
    name = os.path.join(os.fsencode(tmp_path), b"clip-\xe9t\xe9.txt")     # Latin-1 bytes
    with open(name, "wb") as handle:
        handle.write(b"Port Reopens\n\nBy Al Roe\n")
    with pytest.raises(InputError) as raised:
        files.read_file_source(os.fsdecode(name))
    assert raised.value.message.startswith(
        f"{tmp_path}/clip-\\xe9t\\xe9.txt: its name is not valid UTF-8")
    raised.value.message.encode("utf-8")
