"""Reading a Word package the way Word and LibreOffice do: by its relationships, never by a part's name.

A .docx is an OPC package: ``[Content_Types].xml`` gives each part its type, ``_rels/.rels`` names the main
document part (the ``officeDocument`` relationship), and each part's own ``_rels/NAME.rels`` names the parts it
uses (headers, footers, styles, pictures, the embedded record). Word and LibreOffice follow these relationships;
a checker that read ``word/document.xml`` by name could be shown one document while a reader is shown another (a
new main part named by ``_rels/.rels``, the original left behind as an orphan).

``read_package`` therefore follows the relationships from the package's root and refuses, in words:

- a zip that hides data: bytes before the first member, between members or after the central directory, local
  headers that are not the members the central directory lists, names that differ only in case (part names are
  case-insensitive), names with characters outside ``A-Z a-z 0-9 . _ - / [ ]`` (no percent-encoding, no
  backslash), a name that climbs out of the package;
- content types declared twice, a part without a content type;
- a relationship of a kind a proofing record never has (embedded objects, alt chunks, macros, fonts, charts,
  attached templates, sub-documents, controls), an external relationship that is not a hyperlink, a
  relationship to a missing part, and a part whose content type is not the one its relationship calls for;
- a part nobody names (an orphan), and more than one main document part.

Every read is bounded as ``proofing.record`` bounds the record's (sizes from the central directory, at most
limit+1 bytes read).
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from proofing.record import (
    MAX_CONTENT_TYPES_BYTES,
    ZIP_ERRORS,
    RecordError,
    bounded_read,
    checked_members,
    parse_xml,
)

MAX_PART_BYTES = 30_000_000
"""A part is read (for its text, its relationships or its picture) only up to this many bytes uncompressed."""

_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_P = "http://schemas.openxmlformats.org/package/2006/relationships/"
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
RELS_TYPE = "application/vnd.openxmlformats-package.relationships+xml"
MAIN_TYPE = _WML + "document.main+xml"
OFFICE_DOCUMENT = _R + "officeDocument"
HYPERLINK = _R + "hyperlink"
HEADER, FOOTER = _R + "header", _R + "footer"
FOOTNOTES, ENDNOTES, COMMENTS = _R + "footnotes", _R + "endnotes", _R + "comments"
STYLES, THEME, SETTINGS, IMAGE = _R + "styles", _R + "theme", _R + "settings", _R + "image"
CORE_PROPERTIES = _P + "metadata/core-properties"
_IMAGES = frozenset({"image/png", "image/jpeg", "image/gif"})

ALLOWED: dict[str, frozenset[str]] = {
    OFFICE_DOCUMENT: frozenset({MAIN_TYPE}),
    CORE_PROPERTIES: frozenset({"application/vnd.openxmlformats-package.core-properties+xml"}),
    _R + "extended-properties": frozenset({"application/vnd.openxmlformats-officedocument.extended-properties+xml"}),
    _R + "custom-properties": frozenset({"application/vnd.openxmlformats-officedocument.custom-properties+xml"}),
    _P + "metadata/thumbnail": _IMAGES,
    STYLES: frozenset({_WML + "styles+xml"}),
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects": frozenset(
        {"application/vnd.ms-word.stylesWithEffects+xml"}
    ),
    SETTINGS: frozenset({_WML + "settings+xml"}),
    _R + "webSettings": frozenset({_WML + "webSettings+xml"}),
    _R + "fontTable": frozenset({_WML + "fontTable+xml"}),
    THEME: frozenset({"application/vnd.openxmlformats-officedocument.theme+xml"}),
    _R + "numbering": frozenset({_WML + "numbering+xml"}),
    HEADER: frozenset({_WML + "header+xml"}),
    FOOTER: frozenset({_WML + "footer+xml"}),
    FOOTNOTES: frozenset({_WML + "footnotes+xml"}),
    ENDNOTES: frozenset({_WML + "endnotes+xml"}),
    COMMENTS: frozenset({_WML + "comments+xml"}),
    _R + "customXml": frozenset({"application/xml", "text/xml"}),
    _R + "customXmlProps": frozenset({"application/vnd.openxmlformats-officedocument.customXmlProperties+xml"}),
    IMAGE: _IMAGES,
}
"""Each kind of relationship a proofing record may hold, and the content types its target may have.

Anything else (``oleObject``, ``package``, ``aFChunk``, ``font``, ``chart``, ``vbaProject``, ``attachedTemplate``,
``subDocument``, ``control``, ``glossaryDocument``, ...) is refused: proofing's writer never makes one, and each can
show a reader something the digests do not cover."""

_SAFE_NAME = re.compile(r"^[A-Za-z0-9._\-/\[\]]+$")
_LOCAL_HEADER = b"PK\x03\x04"
_END_OF_CENTRAL_DIRECTORY = b"PK\x05\x06"


@dataclass(frozen=True)
class Relationship:
    """One relationship of a part: its kind, and the part it names (or the address, when external)."""

    kind: str
    target: str
    external: bool = False


@dataclass
class Package:
    """A Word package whose every part was reached by a relationship: the main part, each part's content type and
    relationships, and bounded reads of any part."""

    label: str
    main: str
    types: dict[str, str]
    relationships: dict[str, dict[str, Relationship]]
    _zip: zipfile.ZipFile = field(repr=False)
    _infos: dict[str, zipfile.ZipInfo] = field(repr=False)
    _parsed: dict[str, etree._Element] = field(default_factory=dict, repr=False)

    def blob(self, name: str, limit: int = MAX_PART_BYTES) -> bytes:
        """The bytes of a part (a name as ``relationships`` gives it), at most `limit`."""
        return bounded_read(self._zip, self._infos[name], limit, f"{self.label}: {name}")

    def xml(self, name: str) -> etree._Element:
        """A part parsed as XML that may be hostile (no DTD, no entities, no network), once."""
        if name not in self._parsed:
            self._parsed[name] = parse_xml(self.blob(name), f"{self.label}: {name}")
        return self._parsed[name]

    def related(self, source: str, kind: str) -> list[str]:
        """The internal parts `source` names with relationships of `kind`, in the order of their ids."""
        rels = self.relationships.get(source, {})
        return [rel.target for _id, rel in sorted(rels.items()) if rel.kind == kind and not rel.external]


def read_package(data: bytes, label: str) -> Package:
    """The package in `data`, reached by its relationships; RecordError in words for anything a reader could be
    shown that a checker following the same relationships would not see (see the module's docstring)."""
    if not data.startswith(_LOCAL_HEADER):
        raise RecordError(f"{label} is not a Word document (.docx): it does not start with a zip member")
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        infos = checked_members(package, label)
        _check_layout(data, package, infos, label)
        by_name = _names(infos, label)
        types = _content_types(package, by_name, label)
        found = Package(label, "", types, {}, package, by_name)
        found.main = _walk(found, label)
        return found
    except ZIP_ERRORS as error:
        raise RecordError(f"{label} is not a readable Word document (.docx): {error}") from None


def _check_layout(data: bytes, package: zipfile.ZipFile, infos: list[zipfile.ZipInfo], label: str) -> None:
    """Refuse a zip whose bytes hold anything but its members, one after another, then the central directory.

    A reader that scans local headers, or one that finds another central directory, would otherwise see other
    members than the checker: every byte is accounted for.
    """
    hidden = f"{label} is refused: its zip holds data outside its listed members (a second document hidden in it?)"
    position = 0
    for info in sorted(infos, key=lambda item: item.header_offset):
        if info.header_offset != position or data[position : position + 4] != _LOCAL_HEADER:
            raise RecordError(hidden)
        name_length, extra_length = struct.unpack("<HH", data[position + 26 : position + 30])
        if data[position + 30 : position + 30 + name_length] != info.orig_filename.encode("utf-8", "surrogateescape"):
            raise RecordError(f"{label} is refused: a zip member's local name is not the name its directory lists")
        position += 30 + name_length + extra_length + info.compress_size
        if info.flag_bits & 0x8:  # a data descriptor follows the data (LibreOffice writes them)
            position += 16 if data[position : position + 4] == b"PK\x07\x08" else 12
    start = getattr(package, "start_dir", None)
    if start != position:
        raise RecordError(hidden)
    end = data.rfind(_END_OF_CENTRAL_DIRECTORY)
    if end < 0 or len(data) < end + 22:
        raise RecordError(hidden)
    (comment_length,) = struct.unpack("<H", data[end + 20 : end + 22])
    if end + 22 + comment_length != len(data) or data.count(_END_OF_CENTRAL_DIRECTORY, position, end) != 0:
        raise RecordError(hidden)


def _names(infos: list[zipfile.ZipInfo], label: str) -> dict[str, zipfile.ZipInfo]:
    """The members by their lower-case names (part names are case-insensitive), each name checked."""
    by_name: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        name = info.filename
        parts = name.split("/")
        if not _SAFE_NAME.match(name) or name.startswith("/") or any(p in ("", ".", "..") for p in parts):
            raise RecordError(f"{label} is refused: it has a zip member named {name!r}, which no Word document has")
        if name.lower() in by_name:
            raise RecordError(
                f"{label} is refused: two zip members have the same part name in different case ({name!r})"
            )
        by_name[name.lower()] = info
    return by_name


def _content_types(package: zipfile.ZipFile, by_name: dict[str, zipfile.ZipInfo], label: str) -> dict[str, str]:
    """Each member's content type from ``[Content_Types].xml``; refused when declared twice or missing."""
    info = by_name.get("[content_types].xml")
    if info is None:
        raise RecordError(f"{label} is not a Word document (.docx): it has no [Content_Types].xml")
    what = f"{label}: its [Content_Types].xml"
    root = parse_xml(bounded_read(package, info, MAX_CONTENT_TYPES_BYTES, what), what)
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}
    for child in root:
        if child.tag == f"{_CT}Default":
            key, table = (child.get("Extension") or "").lower(), defaults
        elif child.tag == f"{_CT}Override":
            key, table = (child.get("PartName") or "").lstrip("/").lower(), overrides
        else:
            continue
        if key in table:
            raise RecordError(f"{what} declares the content type of {key!r} twice")
        table[key] = child.get("ContentType") or ""
    types: dict[str, str] = {}
    for name in by_name:
        if name == "[content_types].xml":
            continue
        base = name.rsplit("/", 1)[-1]
        found = overrides.get(name) or (defaults.get(base.rsplit(".", 1)[-1]) if "." in base else None)
        if not found:
            raise RecordError(f"{label} is refused: its part {name} has no content type")
        types[name] = found
    return types


def rels_name(part: str) -> str:
    """The relationships part of a part (``word/_rels/document.xml.rels``); of the package itself for ''."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _walk(package: Package, label: str) -> str:
    """Follow the relationships from the package's root; return the main part. Refuse orphans and odd parts."""
    reached: dict[str, str] = {}  # part -> the kind of relationship that reached it
    queue = [""]
    while queue:
        source = queue.pop()
        rels = _relationships(package, source, label)
        package.relationships[source] = rels
        for rel in rels.values():
            if rel.external:
                continue
            if rel.target in reached:
                if reached[rel.target] != rel.kind:
                    raise RecordError(f"{label} is refused: its part {rel.target} is named as two kinds of part")
                continue
            reached[rel.target] = rel.kind
            queue.append(rel.target)
    mains = [name for name, kind in reached.items() if kind == OFFICE_DOCUMENT]
    roots = [rel for rel in package.relationships[""].values() if rel.kind == OFFICE_DOCUMENT]
    if len(mains) != 1 or len(roots) != 1:
        raise RecordError(f"{label} is not a Word document (.docx): it must name exactly one main document part")
    expected = {"[content_types].xml"} | set(reached) | {rels_name(part) for part in package.relationships}
    for name in package.types:
        if name not in expected:
            raise RecordError(
                f"{label} is refused: its part {package._infos[name].filename} is named by no relationship (a part "
                "left behind, or hidden, where Word would not show it)"
            )
        if name.endswith(".rels") and package.types[name] != RELS_TYPE:
            raise RecordError(f"{label} is refused: its relationships part {name} has another content type")
    return mains[0]


def _relationships(package: Package, source: str, label: str) -> dict[str, Relationship]:
    """The relationships `source` declares (none when it has no relationships part), each checked."""
    name = rels_name(source).lower()
    if name not in package._infos:
        if source == "":
            raise RecordError(f"{label} is not a Word document (.docx): it has no _rels/.rels")
        return {}
    root = package.xml(name)
    found: dict[str, Relationship] = {}
    for child in root.iterchildren(f"{_PR}Relationship"):
        rid, kind, target = child.get("Id") or "", child.get("Type") or "", child.get("Target") or ""
        if not rid or rid in found:
            raise RecordError(f"{label} is refused: {name} has a relationship without an id, or one id twice")
        if child.get("TargetMode") == "External":
            if kind != HYPERLINK:
                raise RecordError(
                    f"{label} is refused: {name} links to an outside file ({kind.rsplit('/', 1)[-1]}), which Word "
                    "would fetch and show"
                )
            found[rid] = Relationship(kind, target, external=True)
            continue
        allowed = ALLOWED.get(kind)
        if allowed is None:
            raise RecordError(
                f"{label} is refused: {name} names a part of a kind a proofing record never holds "
                f"({kind.rsplit('/', 1)[-1]}), which could show a reader what the record does not say"
            )
        resolved = _resolve(source, target, name, label)
        if resolved not in package.types:
            raise RecordError(f"{label} is refused: {name} names a part that is missing ({target})")
        if package.types[resolved] not in allowed:
            raise RecordError(
                f"{label} is refused: its part {resolved} has content type {package.types[resolved]!r}, not one a "
                f"{kind.rsplit('/', 1)[-1]} part has"
            )
        if kind == OFFICE_DOCUMENT and source != "":
            raise RecordError(f"{label} is refused: {name} names a second main document part")
        found[rid] = Relationship(kind, resolved)
    return found


def _resolve(source: str, target: str, rels: str, label: str) -> str:
    """A relationship's target as a lower-case member name, resolved against its source part's folder."""
    if not target or not _SAFE_NAME.match(target.replace("../", "")):
        raise RecordError(f"{label} is refused: {rels} names a part {target!r}, which no Word document does")
    joined = target.lstrip("/") if target.startswith("/") else posixpath.join(posixpath.dirname(source), target)
    resolved = posixpath.normpath(joined)
    if resolved.startswith(("..", "/")):
        raise RecordError(f"{label} is refused: {rels} names a part outside the package ({target!r})")
    return resolved.lower()
