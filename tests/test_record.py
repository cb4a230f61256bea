"""The record inside a Word assessment: it round-trips any text, survives python-docx, and tells of tampering.

Every hostile file is refused with a RecordError in words, within two seconds.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import re
import time
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest

from proofing import record
from proofing.errors import ProofingError
from proofing.record import (
    MAX_FILE_BYTES,
    MAX_MEMBERS,
    MAX_RECORD_TEXT,
    MAX_RECORD_VALUES,
    RECORD_FORMAT,
    RECORD_PARTNAME,
    EmbeddedRecord,
    RecordError,
    canonical_json,
    clean_payload,
    clean_text,
    embed_record,
    read_record,
)

MEMBER = RECORD_PARTNAME.lstrip("/")
RELS = "word/_rels/document.xml.rels"
TIME_LIMIT = 2.0

HOSTILE: dict[str, Any] = {
    "title": "Community hub",
    "controls": "bell\x07 nul\x00 vt\x0b ff\x0c esc\x1b del\x7f unit\x1f tab\t newline\n return\r",
    "long": ("Gwasanaeth i bawb, ŵ ŷ, & < > " * 3_500)[:100_000],
    "rtl": "مرحبا بالعالم — שלום עולם — mixed עברית and English",
    "welsh": "Dŵr, tŷ, Ŵ, Ŷ, llyfrgell",
    "emoji": "🙂 👩🏽‍🦽 🏳️‍🌈 🏴󠁧󠁢󠁷󠁬󠁳󠁿",
    "template": "{{ template }} {% if %}{% endif %} ${x} %(name)s",
    "cdata": "]]> <![CDATA[ x ]]>",
    "markup": "& < > \" ' </record><!DOCTYPE x><!ENTITY y 'z'>&amp;",
    "surrogate": "lone \ud800 and \udfff surrogates",
    "nested": {"k\x01ey": ["a\x02", 1, -2.5, 1e300, True, False, None, {"deep": "ŵ"}], "": ""},
}


def new_document() -> docx.document.Document:
    document = docx.Document()
    document.add_paragraph("Equality Impact Assessment: Community hub")
    return document


def saved(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def record_docx(payload: dict[str, Any]) -> bytes:
    document = new_document()
    embed_record(document, payload)
    return saved(document)


def member(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read(name)


def rewrite(data: bytes, replace: dict[str, bytes | None] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    """The same zip with some members replaced (None: dropped) and some added, the rest copied."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            blob = replace.get(info.filename, source.read(info))
            if blob is not None:
                target.writestr(info.filename, blob)
        for name, blob in add.items():
            target.writestr(name, blob)
    return out.getvalue()


def record_part(text: bytes, sha256: str | None = None, record_format: str = RECORD_FORMAT) -> bytes:
    """A record part around some JSON text, escaped as embed_record does; the sha256 is of the text by default."""
    digest = hashlib.sha256(text).hexdigest() if sha256 is None else sha256
    escaped = text.replace(b"&", b"&amp;").replace(b"<", b"&lt;").replace(b">", b"&gt;")
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        + f'<record xmlns="urn:proofing:record:1" format="{record_format}" sha256="{digest}">'.encode()
        + escaped
        + b"</record>"
    )


@pytest.fixture(scope="module")
def plain_docx() -> bytes:
    return saved(new_document())


@pytest.fixture(scope="module")
def good() -> tuple[bytes, dict[str, Any], str]:
    payload = clean_payload(HOSTILE)
    document = new_document()
    digest = embed_record(document, payload)
    return saved(document), payload, digest


def refused(source: Path | bytes, words: str) -> RecordError:
    """read_record refuses the source with a RecordError whose message has these words, within the time limit."""
    started = time.perf_counter()
    with pytest.raises(RecordError) as caught:
        read_record(source)
    elapsed = time.perf_counter() - started
    assert elapsed < TIME_LIMIT, f"took {elapsed:.2f} s"
    assert words in str(caught.value), str(caught.value)
    assert "Traceback" not in str(caught.value)
    return caught.value


# --- round trip ------------------------------------------------------------------------------------------


def test_hostile_payload_round_trips_through_bytes_and_file(good: tuple[bytes, dict[str, Any], str], tmp_path: Path):
    data, payload, digest = good
    assert digest == hashlib.sha256(canonical_json(payload)).hexdigest()
    path = tmp_path / "assessment.docx"
    path.write_bytes(data)
    for source in (data, path):
        embedded = read_record(source)
        assert embedded == EmbeddedRecord(payload=payload, sha256=digest)
    assert embedded.payload["long"] == clean_text(HOSTILE["long"])
    assert len(embedded.payload["long"]) == 100_000
    assert embedded.payload["surrogate"] == "lone \ufffd and \ufffd surrogates"
    assert embedded.payload["nested"] == {"key": ["a", 1, -2.5, 1e300, True, False, None, {"deep": "ŵ"}], "": ""}


def test_uncleaned_payload_round_trips_exactly_because_the_json_is_ascii():
    embedded = read_record(record_docx(HOSTILE))
    assert embedded.payload == HOSTILE
    assert embedded.payload["controls"] == HOSTILE["controls"]
    assert embedded.payload["surrogate"] == "lone \ud800 and \udfff surrogates"


def test_record_part_is_ascii_xml_related_from_the_main_document(good: tuple[bytes, dict[str, Any], str]):
    data, payload, digest = good
    part = member(data, MEMBER)
    assert part.isascii()
    assert part.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<record xmlns="urn:proofing:record:1"')
    assert f'format="{RECORD_FORMAT}" sha256="{digest}">'.encode() in part
    assert b"<!DOCTYPE" not in part and b"<!ENTITY" not in part  # the payload's markup is escaped
    rels = member(data, RELS).decode()
    assert re.search(r'Type="[^"]*/relationships/customXml" Target="\.\./customXml/proofingRecord\.xml"', rels)


def test_python_docx_reopens_and_resaves_keeping_the_record(good: tuple[bytes, dict[str, Any], str], tmp_path: Path):
    data, payload, digest = good
    path = tmp_path / "assessment.docx"
    path.write_bytes(data)
    reopened = docx.Document(str(path))
    assert reopened.paragraphs[0].text == "Equality Impact Assessment: Community hub"
    reopened.add_paragraph("Reviewed by the equality officer.")
    again = tmp_path / "resaved.docx"
    reopened.save(str(again))
    assert read_record(again) == EmbeddedRecord(payload=payload, sha256=digest)
    assert member(again.read_bytes(), MEMBER) == member(data, MEMBER)
    assert docx.Document(str(again)).paragraphs[-1].text == "Reviewed by the equality officer."


def test_embedding_again_replaces_the_record_also_after_reloading(good: tuple[bytes, dict[str, Any], str]):
    document = new_document()
    embed_record(document, {"version": 1})
    second = embed_record(document, {"version": 2})
    data = saved(document)
    assert read_record(data) == EmbeddedRecord({"version": 2}, second)
    reloaded = docx.Document(io.BytesIO(good[0]))
    third = embed_record(reloaded, {"version": 3})
    data = saved(reloaded)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
    assert names.count(MEMBER) == 1
    assert member(data, RELS).count(b"proofingRecord.xml") == 1
    assert read_record(data) == EmbeddedRecord({"version": 3}, third)


def test_record_of_the_largest_readable_size_round_trips():
    """Ten million characters of JSON read back; hex text so that the part does not look like a zip bomb."""
    payload = {"x": random.Random(0).randbytes(MAX_RECORD_TEXT // 2).hex()[: MAX_RECORD_TEXT - len(b'{"x":""}')]}
    assert len(canonical_json(payload)) == MAX_RECORD_TEXT
    assert read_record(record_docx(payload)).payload == payload


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        ({"x": "a" * MAX_RECORD_TEXT}, "characters of JSON"),
        ({"x": "&" * 4_000_000}, "record part would be"),  # escaping makes the part five times the text
        ({"x": [0] * MAX_RECORD_VALUES}, "JSON values, at most"),
    ],
)
def test_embed_refuses_a_record_that_could_not_be_read_back(payload: dict[str, Any], words: str):
    with pytest.raises(RecordError, match=words):
        embed_record(new_document(), payload)


def test_embed_refuses_what_is_not_json():
    with pytest.raises(ValueError):
        embed_record(new_document(), {"x": float("nan")})
    with pytest.raises(TypeError):
        embed_record(new_document(), {"x": {1, 2}})


def test_canonical_json_is_sorted_compact_ascii():
    text = canonical_json({"b": 1, "a": ["ŵ", "\x00", "🙂"]})
    assert text == b'{"a":["\\u0175","\\u0000","\\ud83d\\ude42"],"b":1}'
    assert json.loads(text) == {"b": 1, "a": ["ŵ", "\x00", "🙂"]}


def test_record_error_is_a_proofing_error():
    assert issubclass(RecordError, ProofingError)


# --- text for Word ---------------------------------------------------------------------------------------


def test_clean_text_makes_any_text_acceptable_to_python_docx():
    document = docx.Document()
    with pytest.raises(ValueError):
        document.add_paragraph(HOSTILE["controls"])
    with pytest.raises(ValueError):
        document.add_paragraph(HOSTILE["surrogate"])
    for key in ("controls", "surrogate", "rtl", "welsh", "emoji", "template", "cdata", "markup", "long"):
        document.add_paragraph(clean_text(HOSTILE[key]))
    reread = docx.Document(io.BytesIO(saved(document)))
    texts = [paragraph.text for paragraph in reread.paragraphs]
    for key in ("rtl", "welsh", "emoji", "template", "cdata", "markup", "long"):
        assert clean_text(HOSTILE[key]) == HOSTILE[key]
        assert HOSTILE[key] in texts
    assert any("tab\t newline\n" in text for text in texts)


def test_clean_text_keeps_what_xml_allows():
    allowed = "".join(chr(code) for code in (0x09, 0x0A, 0x0D, 0x20, 0x7F, 0x85, 0xD7FF, 0xE000, 0xFFFD, 0x10FFFF))
    assert clean_text(allowed) == allowed
    forbidden = "".join(chr(code) for code in [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF])
    assert clean_text(forbidden) == ""
    assert clean_text("\ud83d\ude42") == "\ufffd\ufffd"  # a surrogate pair in a str is two lone surrogates


def test_clean_payload_cleans_keys_and_values_into_a_new_structure():
    original = {"k\x00": ["v\x01", ("t\ud800", 2)], "n": {"x": None, "y": 1.5, "z": True}}
    cleaned = clean_payload(original)
    assert cleaned == {"k": ["v", ["t\ufffd", 2]], "n": {"x": None, "y": 1.5, "z": True}}
    assert original["k\x00"] == ["v\x01", ("t\ud800", 2)]
    assert cleaned["n"] is not original["n"]


# --- tampering -------------------------------------------------------------------------------------------


def test_an_edited_value_is_detected(good: tuple[bytes, dict[str, Any], str]):
    data = good[0]
    part = member(data, MEMBER)
    assert part.count(b"Community hub") == 1
    tampered = rewrite(data, {MEMBER: part.replace(b"Community hub", b"Community pub")})
    refused(tampered, "the record was altered: its content does not match its sha256")


def test_an_edited_sha256_is_detected(good: tuple[bytes, dict[str, Any], str]):
    data, _, digest = good
    other = hashlib.sha256(b"something else").hexdigest()
    refused(rewrite(data, {MEMBER: member(data, MEMBER).replace(digest.encode(), other.encode())}), "was altered")
    refused(rewrite(data, {MEMBER: member(data, MEMBER).replace(digest.encode(), digest.upper().encode())}), "altered")


def test_a_dropped_record_part_is_detected(good: tuple[bytes, dict[str, Any], str]):
    data = good[0]
    refused(rewrite(data, {MEMBER: None}), "is not a proofing record")
    rels = member(data, RELS)
    without_relationship = re.sub(rb"<Relationship [^>]*proofingRecord\.xml\"/>", b"", rels)
    assert without_relationship != rels
    dropped = rewrite(data, {MEMBER: None, RELS: without_relationship})
    assert docx.Document(io.BytesIO(dropped)).paragraphs[0].text.startswith("Equality Impact Assessment")
    refused(dropped, "is not a proofing record")


def test_a_plain_word_document_is_not_a_proofing_record(plain_docx: bytes):
    refused(plain_docx, "is not a proofing record")


def test_reformatted_json_is_detected_even_with_the_same_content_and_hash(good: tuple[bytes, dict[str, Any], str]):
    data, payload, digest = good
    pretty = json.dumps(payload, sort_keys=True, indent=2, ensure_ascii=True).encode("ascii")
    assert json.loads(pretty) == payload
    refused(rewrite(data, {MEMBER: record_part(pretty, sha256=digest)}), "the record was altered: its JSON is not")
    refused(rewrite(data, {MEMBER: record_part(pretty)}), "the record was altered")  # hash of the pretty text


def test_a_character_reference_is_not_the_canonical_text(good: tuple[bytes, dict[str, Any], str]):
    data = good[0]
    part = member(data, MEMBER).replace(b'"Community hub"', b'"Community h&#252;b"')
    refused(rewrite(data, {MEMBER: part}), "altered")


@pytest.mark.parametrize(
    ("part", "words"),
    [
        (record_part(b'{"a":1}', record_format="proofing-record/9"), "format 'proofing-record/9' is not one"),
        (record_part(b'{"a":1}').replace(b' format="proofing-record/1"', b""), "format None is not one"),
        (re.sub(rb' sha256="[0-9a-f]+"', b"", record_part(b'{"a":1}')), "has no sha256"),
        (record_part(b'{"a":'), "JSON does not parse"),
        (record_part(b'{"a":NaN}'), "JSON does not parse (NaN is not JSON"),
        (record_part(b"[1,2]"), "is a list, not an object"),
        (record_part(b'{"a":1}').replace(b"{", b"<!-- x -->{"), "must hold only the JSON text"),
        (record_part(b'{"a":1}').replace(b"</record>", b""), "is not well-formed XML"),
        (record_part(b'{"a":"\xc3\xa9"}'), "is not ASCII"),
        (b'<?xml version="1.0"?><other xmlns="urn:x"/>', "is not a proofing record: its record part holds"),
        (b"", "is not well-formed XML"),
    ],
)
def test_a_broken_record_part_is_refused_in_words(plain_docx: bytes, part: bytes, words: str):
    refused(rewrite(plain_docx, add={MEMBER: part}), words)


# --- hostile files ---------------------------------------------------------------------------------------


def billion_laughs() -> str:
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, 10)
    )
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE record [{entities}]>\n'
        f'<record xmlns="urn:proofing:record:1" format="{RECORD_FORMAT}" sha256="00">&lol9;</record>'
    )


def zip_bomb(path: Path, plain_docx: bytes) -> None:
    """A .docx with one extra member of 300 MB of zeros, written streaming (about 300 KB on disk)."""
    path.write_bytes(plain_docx)
    chunk = bytes(1 << 20)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as package:
        with package.open("word/media/zeros.bin", "w", force_zip64=True) as bomb:
            for _ in range(300):
                bomb.write(chunk)


def sparse_file(path: Path, size: int) -> None:
    with path.open("wb") as file:
        file.truncate(size)


def many_members(plain_docx: bytes) -> bytes:
    return rewrite(plain_docx, add={f"word/media/extra{index}.xml": b"<x/>" for index in range(3_000)})


def large_record_part(plain_docx: bytes) -> bytes:
    """A .docx whose record part is 25 MB, stored uncompressed so that it is refused for its size alone."""
    text = b'{"x":"' + b"a" * 25_000_000 + b'"}'
    out = io.BytesIO(plain_docx)
    with zipfile.ZipFile(out, "a") as package:
        package.writestr(zipfile.ZipInfo(MEMBER), record_part(text), compress_type=zipfile.ZIP_STORED)
    return out.getvalue()


def too_many_values(plain_docx: bytes) -> bytes:
    text = b'{"a":[' + b"[]," * (MAX_RECORD_VALUES + 10) + b"[]]}"
    return rewrite(plain_docx, add={MEMBER: record_part(text)})


def deeply_nested(plain_docx: bytes) -> bytes:
    text = b'{"a":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    return rewrite(plain_docx, add={MEMBER: record_part(text)})


def duplicate_record(plain_docx: bytes) -> bytes:
    out = io.BytesIO(record_docx({"a": 1}))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns about the duplicate name it writes
        with zipfile.ZipFile(out, "a") as package:
            package.writestr(MEMBER, record_part(b'{"a":2}'))
    return out.getvalue()


def lzma_member(plain_docx: bytes) -> bytes:
    out = io.BytesIO(plain_docx)
    with zipfile.ZipFile(out, "a") as package:
        package.writestr("word/media/x.bin", b"x" * 1000, compress_type=zipfile.ZIP_LZMA)
    return out.getvalue()


def not_a_docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("hello.txt", "Hello, world\n")
        package.writestr(MEMBER, record_part(b'{"a":1}'))
    return out.getvalue()


def encrypted_flag(plain_docx: bytes) -> bytes:
    data = bytearray(plain_docx)
    central = data.index(b"PK\x01\x02")
    data[central + 8] |= 0x1  # the general purpose flag of the first central directory entry
    return bytes(data)


HOSTILE_FILES: dict[str, tuple[Callable[[Path, bytes], None], str]] = {
    "text renamed .docx": (lambda path, _: path.write_text("title: A plan\n"), "it is not a zip file"),
    "empty file": (lambda path, _: path.write_bytes(b""), "is empty"),
    "missing file": (lambda path, _: None, "cannot be read (No such file or directory)"),
    "a directory": (lambda path, _: path.mkdir(), "is not a file"),
    "file over 50 MB": (lambda path, _: sparse_file(path, MAX_FILE_BYTES + 1), "a .docx is read only up to"),
    "zip that is not a docx": (lambda path, _: path.write_bytes(not_a_docx()), "is not a Word document (.docx)"),
    "truncated docx": (lambda path, plain: path.write_bytes(plain[: len(plain) // 2]), "not a readable Word"),
    "zip bomb": (zip_bomb, "is refused as a zip bomb: word/media/zeros.bin expands from"),
    "entity bomb": (
        lambda path, plain: path.write_bytes(rewrite(plain, add={MEMBER: billion_laughs().encode()})),
        "the record part declares a DOCTYPE or entities",
    ),
    "entity bomb in UTF-16": (
        lambda path, plain: path.write_bytes(
            rewrite(plain, add={MEMBER: billion_laughs().replace("1.0", '1.0" encoding="UTF-16').encode("utf-16")})
        ),
        "the record part is not ASCII",
    ),
    "record part of 25 MB": (
        lambda path, plain: path.write_bytes(large_record_part(plain)),
        f"the record part is 25,000,{len(record_part(b'')) + 8:03} bytes uncompressed; at most 20,000,000",
    ),
    "3,000 members": (lambda path, plain: path.write_bytes(many_members(plain)), f"more than {MAX_MEMBERS:,} zip"),
    "too many JSON values": (lambda path, plain: path.write_bytes(too_many_values(plain)), "JSON values; at most"),
    "deeply nested JSON": (lambda path, plain: path.write_bytes(deeply_nested(plain)), "JSON does not parse"),
    "two record parts": (lambda path, plain: path.write_bytes(duplicate_record(plain)), "have the same name"),
    "LZMA member": (lambda path, plain: path.write_bytes(lzma_member(plain)), "uses zip compression method 14"),
    "encrypted member": (lambda path, plain: path.write_bytes(encrypted_flag(plain)), "is encrypted"),
}


@pytest.mark.parametrize("name", list(HOSTILE_FILES))
def test_a_hostile_file_is_refused_in_words_and_in_time(name: str, plain_docx: bytes, tmp_path: Path):
    build, words = HOSTILE_FILES[name]
    path = tmp_path / "assessment.docx"
    build(path, plain_docx)
    refused(path, words)
    if path.is_file() and path.stat().st_size <= MAX_FILE_BYTES:
        refused(path.read_bytes(), words.replace(str(path), "the document"))


@pytest.mark.parametrize("name", list(HOSTILE_FILES))
def test_verify_refuses_a_hostile_file_in_words_and_in_time(
    name: str, plain_docx: bytes, tmp_path: Path, kb: Any
) -> None:
    """verify reads the whole package (relationships, every part a reader sees), within the same bounds."""
    from proofing.verify import verify_record

    build, _words = HOSTILE_FILES[name]
    path = tmp_path / "assessment.docx"
    build(path, plain_docx)
    started = time.perf_counter()
    with pytest.raises(RecordError) as caught:
        verify_record(kb, path)
    assert time.perf_counter() - started < TIME_LIMIT
    assert "Traceback" not in str(caught.value)


def test_bytes_over_50_mb_are_refused():
    refused(b"PK" + bytes(MAX_FILE_BYTES), "a .docx is read only up to")


def test_the_parser_alone_refuses_an_entity_bomb(plain_docx: bytes, monkeypatch: pytest.MonkeyPatch):
    """Defence in depth: without the DOCTYPE check, lxml's configuration still refuses the bomb in time."""
    monkeypatch.setattr(record, "_DECLARATION", re.compile(rb"(?!)"))
    refused(rewrite(plain_docx, add={MEMBER: billion_laughs().encode()}), "the record part is not well-formed XML")


def test_a_path_is_named_in_the_message(tmp_path: Path):
    path = tmp_path / "nothing here.docx"
    error = refused(path, "cannot be read")
    assert str(error).startswith(str(path))


def test_a_symlink_loop_is_refused_in_words(tmp_path: Path):
    (tmp_path / "a.docx").symlink_to(tmp_path / "b.docx")
    (tmp_path / "b.docx").symlink_to(tmp_path / "a.docx")
    error = refused(tmp_path / "a.docx", "cannot be read")
    assert str(error).startswith(str(tmp_path / "a.docx"))


def test_a_record_renamed_by_an_editor_is_still_found(good: tuple[bytes, dict[str, Any], str]) -> None:
    """LibreOffice keeps the record's content but renames the part customXml/item2.xml (and escapes quotes)."""
    data, payload, digest = good
    source = zipfile.ZipFile(io.BytesIO(data))
    renamed = io.BytesIO()
    with zipfile.ZipFile(renamed, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            name = info.filename
            if name == "customXml/proofingRecord.xml":
                name = "customXml/item2.xml"
                content = content.replace(b'":', b"&quot;:")  # escaped the way LibreOffice writes it back
            target.writestr(name, content)
    found = read_record(renamed.getvalue())
    assert found.sha256 == digest and found.payload == payload


def test_two_records_in_one_document_are_refused(good: tuple[bytes, dict[str, Any], str]) -> None:
    data, _payload, _digest = good
    source = zipfile.ZipFile(io.BytesIO(data))
    doubled = io.BytesIO()
    with zipfile.ZipFile(doubled, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
        target.writestr("customXml/item9.xml", source.read("customXml/proofingRecord.xml"))
    with pytest.raises(RecordError, match="carries 2 proofing records"):
        read_record(doubled.getvalue())


def test_a_record_re_saved_by_libreoffice_still_verifies(tmp_path: Path) -> None:
    """LibreOffice renames the record's part, re-escapes it, rewrites the package (data descriptors, other parts)
    and recomputes page numbers; a signed record is still found, intact, showing what it was signed showing."""
    from proofing.assessment import assess
    from proofing.knowledge import load_knowledge
    from proofing.plan import read_plan
    from proofing.report import write_report
    from proofing.signing import Signer, generate_keys, load_private_key, load_public_key
    from proofing.verify import verify_record
    from tests.conftest import libreoffice_convert

    kb = load_knowledge()
    generate_keys(tmp_path / "council.pem", tmp_path / "council.pub.pem")
    signer = Signer("Head of Service", load_private_key(tmp_path / "council.pem"))
    examples = Path(__file__).resolve().parent.parent / "examples"
    source = tmp_path / "record.docx"
    source.write_bytes(write_report(kb, assess(kb, read_plan(examples / "hate-crime-reporting.yaml")), signer=signer))
    out = tmp_path / "resaved"
    out.mkdir()
    libreoffice_convert(source, out, "docx:MS Word 2007 XML")
    resaved = out / "record.docx"
    names = zipfile.ZipFile(resaved).namelist()
    assert "customXml/proofingRecord.xml" not in names  # LibreOffice renamed it
    result = verify_record(kb, resaved, load_public_key(tmp_path / "council.pub.pem"))
    assert result.status == "intact" and result.signature_checked  # page numbers are not authored text
    assert read_record(resaved).sha256 == read_record(source).sha256


def test_a_record_re_saved_by_python_docx_still_verifies(tmp_path: Path) -> None:
    """python-docx (the way a script opens and saves a .docx) keeps every part, its relationships and its text."""
    from proofing.assessment import assess
    from proofing.knowledge import load_knowledge
    from proofing.plan import read_plan
    from proofing.report import write_report
    from proofing.verify import verify_record

    kb = load_knowledge()
    examples = Path(__file__).resolve().parent.parent / "examples"
    written = write_report(kb, assess(kb, read_plan(examples / "school-eal-support.yaml")), language="bilingual")
    assert verify_record(kb, saved(docx.Document(io.BytesIO(written)))).status == "intact"
