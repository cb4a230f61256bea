r"""The machine record inside a Word assessment: embedded when the report is written, checked when it is read.

A generated ``.docx`` carries the canonical record of its assessment so that an auditor can later check
the file was not altered and re-run it. python-docx has no custom-properties API, so the record is an
OPC part of its own, ``/customXml/proofingRecord.xml``, related from the main document part by a
``customXml`` relationship, which is what makes python-docx keep the part when it loads and saves the
document again (tested). The part is::

    <?xml version="1.0" encoding="UTF-8"?>
    <record xmlns="urn:proofing:record:1" format="proofing-record/1" sha256="HEX">JSON</record>

where JSON is ``canonical_json(payload)`` (sorted keys, no spaces, ASCII only) with ``&``, ``<`` and
``>`` escaped, and HEX is the sha256 of that canonical JSON. Because the JSON is ASCII, any text the
payload holds (control characters, lone surrogates, emoji, right-to-left scripts, Welsh letters) survives
XML. The check is strict: the stored JSON must be byte-identical to the canonical form of its own parse,
so re-formatting it counts as altering it, just as changing a value or the hash does. The sha256 has no
key: it shows a record was changed by accident or by someone who did not recompute it, not that it was
written by proofing.

``read_record`` reads the zip itself, never through python-docx, because the file may be hostile. Every
refusal is a ``RecordError`` in words, and every input costs bounded time and memory:

- the file is at most ``MAX_FILE_BYTES`` and is read with a bounded read;
- the zip has at most ``MAX_MEMBERS`` members, counted by their central-directory signatures before
  ``zipfile`` builds one ``ZipInfo`` per entry (a 50 MB file could otherwise declare a million entries);
- sizes are taken from the central directory before anything is decompressed: at most
  ``MAX_TOTAL_UNCOMPRESSED`` in all, and a member larger than ``BOMB_MIN_BYTES`` that compresses better
  than ``BOMB_RATIO``:1 is a zip bomb; only stored and deflated members (all that .docx allows) are read;
- the members read (``[Content_Types].xml`` and the record part) are read with at most limit+1 bytes,
  because the central directory can lie;
- the record part is ASCII (as written), has no DOCTYPE or entity declaration (refused on the raw bytes),
  and is parsed by lxml with entities, DTDs, network access and huge trees all off. libxml2 then limits
  a text node to 10,000,000 characters (``MAX_RECORD_TEXT``), so ``embed_record`` refuses a larger record
  rather than write one that cannot be read back;
- the JSON holds at most ``MAX_RECORD_VALUES`` values, counted before parsing: ten million characters of
  ``[[],[],...]`` would otherwise cost 1.8 s and 280 MB to parse, before re-encoding it for the check.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import stat
import uuid
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree

from proofing.errors import ProofingError, display_path

if TYPE_CHECKING:
    from docx.document import Document

RECORD_FORMAT = "proofing-record/1"
RECORD_PARTNAME = "/customXml/proofingRecord.xml"
RECORD_NAMESPACE = "urn:proofing:record:1"
RECORD_CONTENT_TYPE = "application/xml"
RECORD_PROPERTIES_PARTNAME = "/customXml/proofingRecordProps.xml"
RECORD_PROPERTIES_TYPE = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"

MAX_FILE_BYTES = 50_000_000
"""A .docx larger than this is refused before it is opened as a zip."""
MAX_MEMBERS = 2_000
"""A .docx with more zip members than this is refused (a generated report has about twenty)."""
MAX_TOTAL_UNCOMPRESSED = 200_000_000
"""The members of a .docx may declare at most this many bytes uncompressed, all together."""
MAX_RECORD_BYTES = 20_000_000
"""The record part is at most this many bytes uncompressed."""
MAX_RECORD_TEXT = 10_000_000
"""The record's JSON is at most this many characters: libxml2's text-node limit without huge trees."""
MAX_RECORD_VALUES = 250_000
"""The record's JSON holds at most this many values (an assessment holds a few thousand).

Measured at this limit: the worst case (ten million characters of short strings) reads in 0.6 s with a
peak of 120 MB (the process's own 40 MB included); at a million values it took 0.9 s and 250 MB.
"""
MAX_CONTENT_TYPES_BYTES = 1_000_000
"""``[Content_Types].xml`` is at most this many bytes uncompressed (a few kilobytes in practice)."""
BOMB_RATIO = 200
BOMB_MIN_BYTES = 10_000_000
"""A member over BOMB_MIN_BYTES uncompressed that compresses better than BOMB_RATIO:1 is a zip bomb."""

_RECORD_MEMBER = RECORD_PARTNAME.lstrip("/")
_RECORD_PROPERTIES_MEMBER = RECORD_PROPERTIES_PARTNAME.lstrip("/")
_CONTENT_TYPES_MEMBER = "[Content_Types].xml"
_CONTENT_TYPES_NAMESPACE = "http://schemas.openxmlformats.org/package/2006/content-types"
_WORD_MAIN_TYPES = frozenset(
    {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
        "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
    }
)
_CENTRAL_DIRECTORY_SIGNATURE = b"PK\x01\x02"
_READABLE_COMPRESSION = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    KeyError,
)
_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
# A part whose root element is a proofing record (any prefix-free form an editor may write it back in).
_RECORD_ROOT = re.compile(
    rb'^\s*(?:<\?xml[^>]*\?>\s*)?<record\s[^>]*xmlns="' + re.escape(RECORD_NAMESPACE.encode()) + rb'"'
)
_JSON_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"', re.DOTALL)  # possessive: linear, no backtracking
_FORBIDDEN_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


class RecordError(ProofingError):
    """A file that is not an intact proofing record; the message says why in words."""


@dataclass(frozen=True)
class EmbeddedRecord:
    """The payload of a record that passed every check, and the sha256 of its canonical JSON."""

    payload: dict[str, Any]
    sha256: str
    signature: str | None = None
    canonical: bytes = field(default=b"", compare=False, repr=False)  # the exact bytes signed and hashed


# --- writing -------------------------------------------------------------------------------------------


def canonical_json(payload: dict[str, Any]) -> bytes:
    r"""The one byte form of a payload that its sha256 is taken over: sorted keys, no spaces, ASCII only.

    ASCII (``ensure_ascii``) so that any text survives XML: control characters and lone surrogates become
    ``\u`` escapes, as do emoji, right-to-left scripts and Welsh letters. NaN and infinities are refused
    (ValueError) because they are not JSON and another reader would not parse them.

    Examples:
        >>> canonical_json({"b": [1, 2], "a": "D\u0175r \U0001f642"})
        b'{"a":"D\\u0175r \\ud83d\\ude42","b":[1,2]}'
    """
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False).encode(
        "ascii"
    )


def seal(payload: dict[str, Any], signature: Callable[[bytes], str] | None = None) -> tuple[bytes, str, str | None]:
    """The payload's canonical JSON, its sha256 (hex) and its signature (None unsigned): what every rendering of a
    record embeds, a .docx in its record part, an HTML page in its record script. RecordError for a record too
    large to be read back."""
    text = canonical_json(payload)
    if len(text) > MAX_RECORD_TEXT:
        raise RecordError(
            f"the assessment is too large to embed: its record is {len(text):,} characters of JSON, "
            f"at most {MAX_RECORD_TEXT:,} can be read back"
        )
    values = _value_count(text)
    if values > MAX_RECORD_VALUES:
        raise RecordError(
            f"the assessment is too large to embed: its record holds about {values:,} JSON values, "
            f"at most {MAX_RECORD_VALUES:,} can be read back"
        )
    digest = hashlib.sha256(text).hexdigest()
    return text, digest, signature(text) if signature else None


def embed_record(document: Document, payload: dict[str, Any], signature: Callable[[bytes], str] | None = None) -> str:
    """Add the payload to the document as its proofing record part and return the sha256 (hex) of it.

    The part is related from the main document part with a ``customXml`` relationship, which is what
    makes python-docx keep it when the document is loaded and saved again. A record already embedded is
    replaced, so a document never carries two. ``payload`` must hold only JSON types (TypeError or
    ValueError otherwise); text meant to be shown should go through ``clean_payload`` first so that the
    record says what the document shows. A record too large to be read back is refused with RecordError.
    """
    text, digest, signed_by = seal(payload, signature)
    signed = f' signature="{signed_by}"' if signed_by else ""
    blob = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        + f'<record xmlns="{RECORD_NAMESPACE}" format="{RECORD_FORMAT}" sha256="{digest}"{signed}>'.encode("ascii")
        + escape(text.decode("ascii")).encode("ascii")
        + b"</record>"
    )
    if len(blob) > MAX_RECORD_BYTES:
        raise RecordError(
            f"the assessment is too large to embed: its record part would be {len(blob):,} bytes, "
            f"at most {MAX_RECORD_BYTES:,}"
        )
    main = document.part
    for rId, rel in list(main.rels.items()):
        if rel.reltype == RT.CUSTOM_XML and not rel.is_external and rel.target_part.partname == RECORD_PARTNAME:
            del main.rels[rId]
    part = Part(PackURI(RECORD_PARTNAME), RECORD_CONTENT_TYPE, blob, main.package)
    main.relate_to(part, RT.CUSTOM_XML)
    # Word keeps a custom XML part only with its properties part (a datastore item with an id): without one
    # it may drop the record when the user saves.
    properties = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        b'<ds:datastoreItem ds:itemID="' + _item_id(digest).encode("ascii") + b'" '
        b'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
        b'<ds:schemaRefs><ds:schemaRef ds:uri="' + RECORD_NAMESPACE.encode("ascii") + b'"/></ds:schemaRefs>'
        b"</ds:datastoreItem>"
    )
    part.relate_to(
        Part(PackURI(RECORD_PROPERTIES_PARTNAME), RECORD_PROPERTIES_TYPE, properties, main.package), RT.CUSTOM_XML_PROPS
    )
    return digest


def _item_id(digest: str) -> str:
    """A GUID for the record's datastore item, derived from its sha256 so the same record gets the same id."""
    return "{" + str(uuid.UUID(digest[:32])).upper() + "}"


# --- reading -------------------------------------------------------------------------------------------


def read_record(source: Path | bytes) -> EmbeddedRecord:
    """Read the record embedded in a .docx (a path, or its bytes) and check it is intact.

    Refuses with RecordError, in words and in bounded time and memory, anything that is not an intact
    record: a missing or unreadable file; something that is not a zip or not a .docx; a zip bomb, a zip
    with too many members or a file too big; a .docx without a record ("not a proofing record"); a record
    part that is too large, not well-formed, declares a DOCTYPE or entities, or has an unknown format;
    JSON that does not parse; and a record whose sha256 does not match its content or whose JSON is not
    in canonical form ("was altered").
    """
    label, data = document_bytes(source)
    return record_in(data, label)[1]


def document_bytes(source: Path | bytes) -> tuple[str, bytes]:
    """A .docx's name as messages give it and its bytes, read with a bounded read (RecordError when too big)."""
    if isinstance(source, bytes | bytearray | memoryview):
        label, data = "the document", bytes(source)
        if len(data) > MAX_FILE_BYTES:
            raise RecordError(f"{label} is {len(data):,} bytes; a .docx is read only up to {MAX_FILE_BYTES:,}")
        return label, data
    label = _named(Path(source))
    return label, _read_file(Path(source), label)


def record_in(data: bytes, label: str) -> tuple[str, EmbeddedRecord]:
    """The zip member holding the record in a .docx's bytes, and the record, checked as ``read_record`` does."""
    name, raw = _record_part(data, label)
    return name, _checked_record(raw, label)


def _named(path: Path) -> str:
    """The path as messages show it; as given when it cannot be resolved (display_path fails on a symlink loop)."""
    try:
        return display_path(path)
    except (OSError, RuntimeError):
        return str(path)


def _read_file(path: Path, label: str) -> bytes:
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            raise RecordError(f"{label} is not a file")
        if status.st_size > MAX_FILE_BYTES:
            raise RecordError(f"{label} is {status.st_size:,} bytes; a .docx is read only up to {MAX_FILE_BYTES:,}")
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise RecordError(f"{label} cannot be read ({error.strerror or error})") from None
    if len(data) > MAX_FILE_BYTES:
        raise RecordError(f"{label} is larger than {MAX_FILE_BYTES:,} bytes; a .docx is read only up to that")
    return data


def _record_part(data: bytes, label: str) -> tuple[str, bytes]:
    """The name and raw bytes of the record part, after the zip has been checked as a .docx that is safe to read."""
    if not data:
        raise RecordError(f"{label} is empty, not a Word document")
    if not data.startswith(b"PK"):
        raise RecordError(f"{label} is not a Word document (.docx): it is not a zip file")
    if data.count(_CENTRAL_DIRECTORY_SIGNATURE) > MAX_MEMBERS:
        raise RecordError(f"{label} has more than {MAX_MEMBERS:,} zip members; a .docx report has a few dozen")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = {info.filename: info for info in checked_members(package, label)}
            _check_word_document(package, members, label)
            found = _record_members(package, members, label)
            if not found:
                raise RecordError(f"{label} is not a proofing record: it has no {RECORD_PARTNAME} part")
            if len(found) > 1:
                raise RecordError(f"{label} carries {len(found)} proofing records; a record carries exactly one")
            return found[0]
    except ZIP_ERRORS as error:
        raise RecordError(f"{label} is not a readable Word document (.docx): {error}") from None


def _record_members(
    package: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], label: str
) -> list[tuple[str, bytes]]:
    """The name and raw bytes of every custom XML part whose root is a proofing record.

    The record is written as ``customXml/proofingRecord.xml``, but an editor that re-saves the document may
    renumber custom XML parts: LibreOffice keeps the record's content and renames it ``customXml/item2.xml``.
    So the record is found by what it is (its root element's namespace), not by its name.
    """
    found: list[tuple[str, bytes]] = []
    for name, info in members.items():
        if name == _RECORD_MEMBER:  # the name proofing writes: a record, whatever state it is in
            found.append((name, bounded_read(package, info, MAX_RECORD_BYTES, f"{label}: the record part")))
            continue
        if not (name.startswith("customXml/") and name.endswith(".xml")) or "/_rels/" in name:
            continue
        if name.rsplit("/", 1)[-1].startswith("itemProps") or name == _RECORD_PROPERTIES_MEMBER:
            continue
        with package.open(info) as member:
            start = member.read(1024)  # only the root element decides; a large part is read only if it is a record
        if _RECORD_ROOT.match(start):
            found.append((name, bounded_read(package, info, MAX_RECORD_BYTES, f"{label}: the record part")))
    return found


def checked_members(package: zipfile.ZipFile, label: str) -> list[zipfile.ZipInfo]:
    """The zip's members, refused as a whole when their number, sizes or compression could cost too much."""
    infos = package.infolist()
    if len(infos) > MAX_MEMBERS:
        raise RecordError(f"{label} has {len(infos):,} zip members; at most {MAX_MEMBERS:,} are read")
    if len({info.filename for info in infos}) != len(infos):
        raise RecordError(f"{label} is not a valid Word document (.docx): two zip members have the same name")
    total = 0
    for info in infos:
        if info.file_size > BOMB_MIN_BYTES and info.file_size > BOMB_RATIO * info.compress_size:
            raise RecordError(
                f"{label} is refused as a zip bomb: {info.filename} expands from {info.compress_size:,} "
                f"to {info.file_size:,} bytes"
            )
        if info.compress_type not in _READABLE_COMPRESSION:
            raise RecordError(
                f"{label} is not a Word document (.docx): {info.filename} uses zip compression method "
                f"{info.compress_type}, which .docx files do not"
            )
        if info.flag_bits & 0x1:
            raise RecordError(f"{label} is encrypted and cannot be checked")
        total += info.file_size
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise RecordError(
            f"{label} would expand to {total:,} bytes; a .docx is read only up to {MAX_TOTAL_UNCOMPRESSED:,}"
        )
    return infos


def _check_word_document(package: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], label: str) -> None:
    """Refuse a zip whose content types declare no Word main document part that is present."""
    not_word = f"{label} is not a Word document (.docx)"
    info = members.get(_CONTENT_TYPES_MEMBER)
    if info is None:
        raise RecordError(f"{not_word}: it has no {_CONTENT_TYPES_MEMBER}")
    raw = bounded_read(package, info, MAX_CONTENT_TYPES_BYTES, f"{label}: {_CONTENT_TYPES_MEMBER}")
    root = parse_xml(raw, f"{not_word}: its {_CONTENT_TYPES_MEMBER}")
    for override in root.iterchildren(f"{{{_CONTENT_TYPES_NAMESPACE}}}Override"):
        if override.get("ContentType") in _WORD_MAIN_TYPES:
            if override.get("PartName", "").lstrip("/") in members:
                return
            raise RecordError(f"{not_word}: its main document part {override.get('PartName')} is missing")
    raise RecordError(f"{not_word}: it declares no Word main document part")


def bounded_read(package: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, what: str) -> bytes:
    """A member's bytes, reading at most limit+1 of them whatever the central directory says."""
    if info.file_size > limit:
        raise RecordError(f"{what} is {info.file_size:,} bytes uncompressed; at most {limit:,} are read")
    with package.open(info) as member:
        blob = member.read(limit + 1)
    if len(blob) > limit:
        raise RecordError(f"{what} is larger than {limit:,} bytes uncompressed (its zip entry says less)")
    return blob


def parse_xml(raw: bytes, what: str) -> etree._Element:
    """Parse XML that may be hostile: no DOCTYPE or entity declaration, no DTD, no network, no huge tree."""
    if _DECLARATION.search(raw):
        raise RecordError(f"{what} declares a DOCTYPE or entities, which is refused")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        return etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as error:
        raise RecordError(f"{what} is not well-formed XML, or exceeds the parser's limits ({error})") from None


def _checked_record(raw: bytes, label: str) -> EmbeddedRecord:
    """The payload of a raw record part, once its format, JSON and sha256 have all been checked."""
    part = f"{label}: the record part"
    if not raw.isascii():
        raise RecordError(f"{part} is not ASCII, so it was not written by proofing")
    root = parse_xml(raw, part)
    if root.tag != f"{{{RECORD_NAMESPACE}}}record":
        raise RecordError(f"{label} is not a proofing record: its record part holds <{root.tag}>")
    record_format = root.get("format")
    if record_format != RECORD_FORMAT:
        raise RecordError(
            f"{label}: the record's format {record_format!r} is not one this version reads ({RECORD_FORMAT})"
        )
    claimed = root.get("sha256")
    if claimed is None:
        raise RecordError(f"{label}: the record has no sha256, so it cannot be checked")
    if len(root) or not root.text:
        raise RecordError(f"{label}: the record part must hold only the JSON text of the record")
    return checked_json(root.text.encode("utf-8"), claimed, root.get("signature"), label)


def checked_json(
    stored: bytes, claimed: str, signature: str | None, label: str, written: Callable[[bytes], bytes] = bytes
) -> EmbeddedRecord:
    """The record a rendering holds, once its JSON parses in bounded time and memory, its sha256 is `claimed` and
    its text is exactly what the writer wrote (`written` turns canonical JSON into the text as embedded: as it is in
    a .docx, with ``<``, ``>`` and ``&`` escaped in an HTML page's script)."""
    payload = _parsed_json(stored, label)
    canonical = canonical_json(payload)
    digest = hashlib.sha256(canonical).hexdigest()
    if digest != claimed:
        raise RecordError(f"{label}: the record was altered: its content does not match its sha256")
    if stored != written(canonical):
        raise RecordError(f"{label}: the record was altered: its JSON is not in the canonical form it was written in")
    return EmbeddedRecord(payload=payload, sha256=digest, signature=signature, canonical=canonical)


def _parsed_json(stored: bytes, label: str) -> dict[str, Any]:
    """Parse the record's JSON after counting its values, so that parsing costs bounded memory and time."""
    values = _value_count(stored)
    if values > MAX_RECORD_VALUES:
        raise RecordError(f"{label}: the record holds about {values:,} JSON values; at most {MAX_RECORD_VALUES:,}")
    try:
        payload = json.loads(stored, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as error:
        raise RecordError(f"{label}: the record's JSON does not parse ({error})") from None
    if not isinstance(payload, dict):
        raise RecordError(f"{label}: the record's JSON is a {type(payload).__name__}, not an object")
    return payload


def _value_count(text: bytes) -> int:
    """An upper bound on the number of values in JSON text (exact for a valid prefix), found without parsing."""
    outside_strings = _JSON_STRING.sub(b"", text)
    return outside_strings.count(b",") + outside_strings.count(b"[") + outside_strings.count(b"{") + 1


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


# --- text for Word ---------------------------------------------------------------------------------------


def clean_text(text: str) -> str:
    r"""Text that python-docx and XML accept, for anything written into a Word document.

    XML 1.0 forbids some characters and python-docx refuses them with a ValueError, so a plan's free
    text could otherwise stop a report being written. Removes U+0000-0008, U+000B, U+000C, U+000E-001F,
    U+FFFE and U+FFFF; replaces lone surrogates (U+D800-DFFF, which UTF-8 cannot encode) with U+FFFD.
    Tabs, newlines, emoji, right-to-left text and Welsh letters are kept as they are.

    Examples:
        >>> clean_text("bell\x07 and nul\x00 and escape\x1b gone; tab\tand newline\n kept")
        'bell and nul and escape gone; tab\tand newline\n kept'
        >>> clean_text("lone \ud800 surrogate") == "lone \ufffd surrogate"
        True
        >>> clean_text("Dŵr, tŷ, 🙂, שלום, مرحبا")
        'Dŵr, tŷ, 🙂, שלום, مرحبا'
        >>> clean_text("not a character: \ufffe\uffff") == "not a character: "
        True
    """
    text = _FORBIDDEN_IN_XML.sub("", text)
    return _SURROGATE.sub("\ufffd", text)


def clean_payload(value: Any) -> Any:
    """A copy of a JSON-like structure with clean_text applied to every string, dict keys included.

    So that the record embedded in a report holds exactly the text the report shows. Tuples become
    lists (as JSON would make them); two keys that differ only by removed characters become one key,
    the later value winning.

    Examples:
        >>> clean_payload({"a\\x00": ["b\\x0c", 1, None, {"c": "\\ud800"}]}) == {"a": ["b", 1, None, {"c": "\\ufffd"}]}
        True
    """
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_payload(key): clean_payload(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [clean_payload(item) for item in value]
    return value
