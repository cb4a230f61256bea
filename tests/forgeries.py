"""Forgeries of Word records, for tests/test_forgery.py (the campaign) and tests/test_signing.py (issue 20's four).

Each forgery takes a record proofing wrote (bytes) and returns a forged one, made the way a forger with a zip tool,
a text editor and their own copy of proofing would make it.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import re
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from lxml import etree

from proofing.cli import main
from proofing.record import canonical_json
from proofing.signing import Signer, generate_keys, load_private_key

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
RT = R + "/"
WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
RECORD = "customXml/proofingRecord.xml"
BODY = "word/document.xml"
LEVEL_WORDS = "Full assessment needed."
FORGED = "Screened out: no further assessment needed. Approved by the chief executive."


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# --- keys, and the check a forgery must not pass -------------------------------------------------------------


def make_keys(folder: Path) -> dict[str, Path]:
    """Two key pairs in `folder`: the council's and another install's, by name (and `<name>_public`)."""
    made: dict[str, Path] = {}
    for name in ("council", "other"):
        generate_keys(folder / f"{name}.pem", folder / f"{name}.pub.pem")
        made[name], made[f"{name}_public"] = folder / f"{name}.pem", folder / f"{name}.pub.pem"
    return made


def verify(path: Path, data: bytes, key: Path | None, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """`proofing verify` on `data` written to `path` (with `--key` when one is given): its exit code and all it
    printed, never a traceback."""
    path.write_bytes(data)
    code = main(["verify", str(path), *(["--key", str(key)] if key else [])])
    printed = capsys.readouterr()
    assert "Traceback" not in printed.out + printed.err
    return code, printed.out + printed.err


# --- zip and package helpers ---------------------------------------------------------------------------------


def members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return [(info.filename, package.read(info)) for info in package.infolist()]


def build(entries: list[tuple[str, bytes]]) -> bytes:
    """A zip of these members in this order (a name may repeat: zipfile warns, a forger does not care)."""
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for name, blob in entries:
                target.writestr(name, blob)
    return out.getvalue()


def part_of(data: bytes, name: str) -> bytes:
    """One member's bytes."""
    return dict(members(data))[name]


def edit(data: bytes, name: str, change: Callable[[bytes], bytes]) -> bytes:
    found = members(data)
    assert name in dict(found), f"{name} is not in the record"
    return build([(n, change(b) if n == name else b) for n, b in found])


def edit_xml(data: bytes, name: str, change: Callable[[etree._Element], None]) -> bytes:
    def changed(blob: bytes) -> bytes:
        root = etree.fromstring(blob)
        change(root)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    return edit(data, name, changed)


def add_part(
    data: bytes, name: str, blob: bytes, content_type: str, source: str = BODY, kind: str = "", rid: str = "rIdF1"
) -> bytes:
    """The record with a new part, its content type declared and (when `kind` is given) named by `source`."""

    def types(root: etree._Element) -> None:
        etree.SubElement(root, f"{{{CT}}}Override", PartName=f"/{name}", ContentType=content_type)

    data = edit_xml(data, "[Content_Types].xml", types)
    data = build([*members(data), (name, blob)])
    if kind:
        data = relate(data, source, kind, target_of(source, name), rid)
    return data


def rels_of(part: str) -> str:
    folder, _sep, base = part.rpartition("/")
    return f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"


def target_of(source: str, name: str) -> str:
    folder = source.rpartition("/")[0]
    return name[len(folder) + 1 :] if folder and name.startswith(folder + "/") else "/" + name


def relate(data: bytes, source: str, kind: str, target: str, rid: str, external: bool = False) -> bytes:
    rels = "_rels/.rels" if source == "" else rels_of(source)

    def add(root: etree._Element) -> None:
        attributes = {"Id": rid, "Type": kind, "Target": target}
        if external:
            attributes["TargetMode"] = "External"
        etree.SubElement(root, f"{{{PR}}}Relationship", attributes)

    if rels not in dict(members(data)):
        empty = f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PR}"/>'.encode()
        data = build([*members(data), (rels, empty)])
    return edit_xml(data, rels, add)


def child(parent: etree._Element, tag: str) -> etree._Element:
    """`parent`'s `tag` element (w:rPr, w:pPr, w:trPr, w:tcPr), made first among its children when it has none."""
    found = parent.find(w(tag))
    if found is None:
        found = etree.Element(w(tag))
        parent.insert(0, found)
    return found


def level_paragraph(root: etree._Element) -> etree._Element:
    for paragraph in root.iter(w("p")):
        if "".join(paragraph.itertext()).startswith(LEVEL_WORDS):
            return paragraph
    raise AssertionError("the level paragraph is missing")


def run(text: str, properties: str = "") -> etree._Element:
    return etree.fromstring(
        f'<w:r xmlns:w="{W}"><w:rPr>{properties}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'
    )


def set_run_property(root: etree._Element, properties: str, only: etree._Element | None = None) -> None:
    """Give every run (of `only`, or of the whole part) these run properties."""
    for each in (only if only is not None else root).iter(w("r")):
        rpr = child(each, "rPr")
        for element in etree.fromstring(f'<w:rPr xmlns:w="{W}">{properties}</w:rPr>'):
            old = rpr.find(element.tag)
            if old is not None:
                rpr.remove(old)
            rpr.append(element)


def hide_level_and_show(properties: str, *shown: etree._Element) -> Callable[[etree._Element], None]:
    """Hide the level paragraph's real runs with `properties`, and show the forged words instead (in `shown`, added
    after them; a plain run when none is given)."""

    def change(root: etree._Element) -> None:
        paragraph = level_paragraph(root)
        set_run_property(root, properties, only=paragraph)
        paragraph.extend(copy.deepcopy(each) for each in shown or (run(FORGED),))

    return change


def field(instruction: str, result: str) -> list[etree._Element]:
    """A complex field's runs: begin, code, separate, result, end."""
    return [
        etree.fromstring(f'<w:r xmlns:w="{W}"><w:fldChar w:fldCharType="begin"/></w:r>'),
        etree.fromstring(f'<w:r xmlns:w="{W}"><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'),
        etree.fromstring(f'<w:r xmlns:w="{W}"><w:fldChar w:fldCharType="separate"/></w:r>'),
        run(result),
        etree.fromstring(f'<w:r xmlns:w="{W}"><w:fldChar w:fldCharType="end"/></w:r>'),
    ]


def header_text(change: str) -> Callable[[etree._Element], None]:
    def edit_text(root: etree._Element) -> None:
        texts = list(root.iter(w("t")))
        assert texts
        texts[0].text = change

    return edit_text


# --- the record part -----------------------------------------------------------------------------------------


def payload_of(part: bytes) -> tuple[str, re.Match[str], dict[str, Any]]:
    text = part.decode("ascii")
    body = re.search(r">(\{.*\})</record>", text, re.S)
    assert body is not None
    raw = body.group(1).replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return text, body, json.loads(raw)


def rewritten(
    change: Callable[[dict[str, Any]], None], sign_with: Path | None = None, keep_signature: bool = True
) -> Callable[[bytes], bytes]:
    """A forger's record part: the JSON changed and its sha256 recomputed; signed again with their own key, or the
    old signature kept, or none."""

    def forge(part: bytes) -> bytes:
        text, body, payload = payload_of(part)
        head, tail = text[: body.start(1)], text[body.end(1) :]
        change(payload)
        if sign_with is not None:
            signer = Signer("Chief Executive", load_private_key(sign_with))
            payload["signer"] = {"identity": "Chief Executive", "key": signer.fingerprint}
        canonical = canonical_json(payload)
        head = re.sub(r'sha256="[0-9a-f]+"', f'sha256="{hashlib.sha256(canonical).hexdigest()}"', head)
        if sign_with is not None or not keep_signature:
            head = re.sub(r' signature="[^"]*"', "", head)
        if sign_with is not None:
            head = head.replace(" sha256=", f' signature="{signer.sign(canonical)}" sha256=', 1)
        return (head + escape(canonical.decode("ascii")) + tail).encode("ascii")

    return forge


def level_screened_out(payload: dict[str, Any]) -> None:
    payload["assessment"]["level"] = "screened_out"


def nothing(_payload: dict[str, Any]) -> None:
    return None


def without_signer(payload: dict[str, Any]) -> None:
    payload.pop("signer", None)


def without_digests(payload: dict[str, Any]) -> None:
    payload.pop("visible", None)


def without_digest_format(payload: dict[str, Any]) -> None:
    payload.pop("visible_format", None)


def digests_of_a_forged_header(payload: dict[str, Any]) -> None:
    payload["visible"]["Page header"] = hashlib.sha256(FORGED.encode()).hexdigest()


# --- the forgeries -------------------------------------------------------------------------------------------

Forgery = Callable[[bytes, dict[str, Any]], bytes]


def in_record(change: Callable[[bytes], bytes]) -> Forgery:
    """A forgery of the record part alone (`change` takes and returns its bytes), the rest of the package as it was."""
    return lambda data, _context: edit(data, RECORD, change)


def main_part_declared(attribute: str, value: str) -> Callable[[etree._Element], None]:
    """A change to [Content_Types].xml: the main part's override given this `attribute` (PartName, ContentType)."""

    def declare(types: etree._Element) -> None:
        for override in types:
            if override.get("PartName") == "/word/document.xml":
                override.set(attribute, value)

    return declare


def new_main_part(data: bytes, context: dict[str, Any]) -> bytes:
    """(a) A new main part named by _rels/.rels; the original word/document.xml left behind as an orphan."""
    root = etree.fromstring(part_of(data, BODY))
    paragraph = level_paragraph(root)
    for t in paragraph.iter(w("t")):
        t.text = ""
    next(paragraph.iter(w("t"))).text = FORGED
    forged = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    entries = [*members(data), ("word/main.xml", forged), ("word/_rels/main.xml.rels", part_of(data, rels_of(BODY)))]
    data = build(entries)

    def retarget(rels: etree._Element) -> None:
        for rel in rels:
            if rel.get("Type") == RT + "officeDocument":
                rel.set("Target", "word/main.xml")

    declare = main_part_declared("PartName", "/word/main.xml")
    return edit_xml(edit_xml(data, "_rels/.rels", retarget), "[Content_Types].xml", declare)


def orphan_part(data: bytes, context: dict[str, Any]) -> bytes:
    return add_part(data, "word/notes.xml", b"<notes>" + FORGED.encode() + b"</notes>", "application/xml")


def blank_part(name: str, content_type: str, kind: str, source: str = BODY) -> Forgery:
    """A new part of 64 zero bytes (an embedded object, a font) named by `source` as a relationship of `kind`."""
    return lambda data, _context: add_part(data, name, b"\0" * 64, content_type, source=source, kind=RT + kind)


ole_object = blank_part(
    "word/embeddings/oleObject1.bin", "application/vnd.openxmlformats-officedocument.oleObject", "oleObject"
)


def alt_chunk(data: bytes, context: dict[str, Any]) -> bytes:
    html = f"<html><body><p>{FORGED}</p></body></html>".encode()
    data = add_part(data, "word/afchunk.htm", html, "text/html", kind=RT + "aFChunk", rid="rIdChunk")

    def insert(root: etree._Element) -> None:
        paragraph = level_paragraph(root)
        paragraph.addnext(etree.fromstring(f'<w:altChunk xmlns:w="{W}" xmlns:r="{R}" r:id="rIdChunk"/>'))

    return edit_xml(data, BODY, insert)


def macro_main_type(data: bytes, context: dict[str, Any]) -> bytes:
    declare = main_part_declared("ContentType", "application/vnd.ms-word.document.macroEnabled.main+xml")
    return edit_xml(data, "[Content_Types].xml", declare)


def main_part_again(name: str) -> Forgery:
    """The zip with a forged main part added again as member `name`, after the original."""

    def forge(data: bytes, context: dict[str, Any]) -> bytes:
        forged = part_of(edit_xml(data, BODY, hide_level_and_show("<w:vanish/>")), BODY)
        return build([*members(data), (name, forged)])

    return forge


def appended_zip(data: bytes, context: dict[str, Any]) -> bytes:
    return data + new_main_part(data, context)


def prepended_bytes(data: bytes, context: dict[str, Any]) -> bytes:
    return b"PK\x03\x04" + b"\0" * 60 + data


def local_name_differs(data: bytes, context: dict[str, Any]) -> bytes:
    index = data.find(b"word/document.xml")
    assert index > 0
    return data[:index] + b"word/documenx.xml" + data[index + len(b"word/document.xml") :]


def external_template(data: bytes, context: dict[str, Any]) -> bytes:
    return relate(
        data, "word/settings.xml", RT + "attachedTemplate", "https://example.org/forged.dotm", "rIdT", external=True
    )


def linked_picture(data: bytes, context: dict[str, Any]) -> bytes:
    return relate(data, BODY, RT + "image", "https://example.org/forged.png", "rIdL", external=True)


embedded_font = blank_part(
    "word/fonts/font1.odttf",
    "application/vnd.openxmlformats-officedocument.obfuscatedFont",
    "font",
    source="word/fontTable.xml",
)


def forged_header(data: bytes, **relation: str) -> bytes:
    """The record with word/header9.xml, a copy of the header reading the forged words (related as `relation` says:
    add_part's `kind` and `rid`)."""
    forged = part_of(data, "word/header1.xml").replace(b"Equality Impact Assessment", FORGED.encode())
    return add_part(data, "word/header9.xml", forged, WML + "header+xml", **relation)


def header_retargeted(data: bytes, context: dict[str, Any]) -> bytes:
    data = forged_header(data)

    def retarget(rels: etree._Element) -> None:
        for rel in rels:
            if rel.get("Target") == "header1.xml":
                rel.set("Target", "header9.xml")

    return edit_xml(data, rels_of(BODY), retarget)


def record_beside(data: bytes, context: dict[str, Any]) -> bytes:
    """The record part named by no relationship (the document's own rel removed), the record still in the zip."""

    def unrelate(rels: etree._Element) -> None:
        for rel in list(rels):
            if rel.get("Target", "").endswith("proofingRecord.xml"):
                rels.remove(rel)

    return edit_xml(data, rels_of(BODY), unrelate)


def second_record(data: bytes, context: dict[str, Any]) -> bytes:
    other = part_of(context["other"], RECORD)
    return add_part(data, "customXml/item9.xml", other, "application/xml", kind=RT + "customXml", rid="rIdRec2")


def swapped_record(data: bytes, context: dict[str, Any]) -> bytes:
    return edit(data, RECORD, lambda _part: part_of(context["other"], RECORD))


def core_title(data: bytes, context: dict[str, Any]) -> bytes:
    def retitle(root: etree._Element) -> None:
        title = root.find("{http://purl.org/dc/elements/1.1/}title")
        assert title is not None
        title.text = FORGED

    return edit_xml(data, "docProps/core.xml", retitle)


def blank_picture(kind: str) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 60), "white").save(buffer, kind)
    return buffer.getvalue()


def chart_replaced(data: bytes, context: dict[str, Any]) -> bytes:
    return edit(data, "word/media/image1.png", lambda _png: blank_picture("PNG"))


def preview_replaced(data: bytes, context: dict[str, Any]) -> bytes:
    """The preview picture a file browser shows replaced (a forged first page, say)."""
    return edit(data, "docProps/thumbnail.jpeg", lambda _jpeg: blank_picture("JPEG"))


def custom_property(data: bytes, context: dict[str, Any]) -> bytes:
    props = (
        b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property '
        b'fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Approved by"><vt:lpwstr>Chief Executive'
        b"</vt:lpwstr></property></Properties>"
    )
    kind, content = RT + "custom-properties", "application/vnd.openxmlformats-officedocument.custom-properties+xml"
    return add_part(data, "docProps/custom.xml", props, content, source="", kind=kind, rid="rIdCustom")


def alt_text(data: bytes, context: dict[str, Any]) -> bytes:
    def change(root: etree._Element) -> None:
        described = next(root.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"))
        described.set("descr", FORGED)

    return edit_xml(data, BODY, change)


def header_edited(data: bytes, context: dict[str, Any]) -> bytes:
    """(b) Every page's header reads a forged approval."""
    return edit_xml(data, "word/header1.xml", header_text(FORGED))


def footer_edited(data: bytes, context: dict[str, Any]) -> bytes:
    """(b) Every page's footer reads a forged approval."""
    return edit_xml(data, "word/footer1.xml", header_text(FORGED))


def first_page_header(data: bytes, context: dict[str, Any]) -> bytes:
    data = forged_header(data, kind=RT + "header", rid="rIdH9")

    def reference(root: etree._Element) -> None:
        section = root.find(f"{w('body')}/{w('sectPr')}")
        assert section is not None
        section.insert(
            0, etree.fromstring(f'<w:headerReference xmlns:w="{W}" xmlns:r="{R}" w:type="first" r:id="rIdH9"/>')
        )
        section.append(etree.Element(w("titlePg")))

    return edit_xml(data, BODY, reference)


def note_on_the_level(kind: str, note: str, rid: str, reference: str) -> Forgery:
    """A new word/`kind`.xml part (footnotes, comments) whose one note, `note`, reads the forged words, and a run on
    the level paragraph holding `reference`, which points at it."""

    def forge(data: bytes, context: dict[str, Any]) -> bytes:
        part = f'<w:{kind} xmlns:w="{W}">{note}</w:{kind}>'.encode()
        data = add_part(data, f"word/{kind}.xml", part, WML + f"{kind}+xml", kind=RT + kind, rid=rid)

        def refer(root: etree._Element) -> None:
            level_paragraph(root).append(etree.fromstring(f'<w:r xmlns:w="{W}">{reference}</w:r>'))

        return edit_xml(data, BODY, refer)

    return forge


NOTE_TEXT = f"<w:p><w:r><w:t>{FORGED}</w:t></w:r></w:p>"
footnote_added = note_on_the_level(
    "footnotes", f'<w:footnote w:id="1">{NOTE_TEXT}</w:footnote>', "rIdFn", '<w:footnoteReference w:id="1"/>'
)
comment_added = note_on_the_level(
    "comments",
    f'<w:comment w:id="0" w:author="Chief Executive">{NOTE_TEXT}</w:comment>',
    "rIdCm",
    '<w:commentReference w:id="0"/>',
)


def body_text_edited(data: bytes, context: dict[str, Any]) -> bytes:
    return edit(data, BODY, lambda xml: xml.replace(b"(Red, score", b"(Green, score", 1))


def level_field(instruction: str) -> Forgery:
    """A field whose result is the forged words added to the level paragraph, the real runs hidden."""
    return lambda data, _context: edit_xml(data, BODY, hide_level_and_show("<w:vanish/>", *field(instruction, FORGED)))


def level_simple_field(data: bytes, context: dict[str, Any]) -> bytes:
    simple = etree.Element(w("fldSimple"), {w("instr"): "PAGE"})
    simple.append(run(FORGED))
    return edit_xml(data, BODY, hide_level_and_show("<w:vanish/>", simple))


def level_in_field_code(data: bytes, context: dict[str, Any]) -> bytes:
    """The real words moved into a page field's code, where they do not show; a page number shown instead."""

    def change(root: etree._Element) -> None:
        paragraph = level_paragraph(root)
        runs = paragraph.findall(w("r"))
        runs[0].addprevious(field("PAGE", "1")[0])
        runs[0].addprevious(field("PAGE", "1")[1])
        runs[-1].addnext(field("PAGE", "1")[4])
        runs[-1].addnext(field("PAGE", "1")[3])
        runs[-1].addnext(field("PAGE", "1")[2])

    return edit_xml(data, BODY, change)


def hidden_with(properties: str) -> Forgery:
    """The level paragraph's words hidden by formatting, nothing added: a reader sees no level at all."""

    def forge(data: bytes, context: dict[str, Any]) -> bytes:
        def change(root: etree._Element) -> None:
            set_run_property(root, properties, only=level_paragraph(root))

        return edit_xml(data, BODY, change)

    return forge


def every_run_white_1pt(data: bytes, context: dict[str, Any]) -> bytes:
    """(d) Every run white at 1 pt; the forged words added in a visible run."""

    def change(root: etree._Element) -> None:
        set_run_property(root, '<w:color w:val="FFFFFF"/><w:sz w:val="2"/><w:szCs w:val="2"/>')
        for element in field("PAGEREF _Toc_proofing_1 \\h", FORGED):  # shown where today's main does not look
            set_run_property(element, '<w:color w:val="000000"/><w:sz w:val="22"/>', only=element)
            level_paragraph(root).append(element)

    return edit_xml(data, BODY, change)


def shaded_like_the_text(data: bytes, context: dict[str, Any]) -> bytes:
    shown = run(FORGED, '<w:color w:val="000000"/><w:shd w:val="clear" w:color="auto" w:fill="FFFFFF"/>')
    hidden = '<w:color w:val="1F1F1F"/><w:shd w:val="clear" w:color="auto" w:fill="202020"/>'
    return edit_xml(data, BODY, hide_level_and_show(hidden, shown))


def paragraph_shaded_black(data: bytes, context: dict[str, Any]) -> bytes:
    def change(root: etree._Element) -> None:
        paragraph = level_paragraph(root)
        child(paragraph, "pPr").append(
            etree.fromstring(f'<w:shd xmlns:w="{W}" w:val="clear" w:color="auto" w:fill="000000"/>')
        )
        set_run_property(root, '<w:color w:val="000000"/>', only=paragraph)

    return edit_xml(data, BODY, change)


def normal_style(properties: str) -> Forgery:
    """The styles changed so that body text does not show (the forged words added with direct formatting)."""

    def forge(data: bytes, context: dict[str, Any]) -> bytes:
        def change(root: etree._Element) -> None:
            for style in root.iter(w("style")):
                if style.get(w("styleId")) == "Normal":
                    rpr = style.find(w("rPr"))
                    if rpr is None:
                        rpr = etree.SubElement(style, w("rPr"))
                    for element in etree.fromstring(f'<w:rPr xmlns:w="{W}">{properties}</w:rPr>'):
                        rpr.append(element)

        return edit_xml(data, "word/styles.xml", change)

    return forge


def defaults_tiny(data: bytes, context: dict[str, Any]) -> bytes:
    def change(root: etree._Element) -> None:
        size = root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('sz')}")
        assert size is not None
        size.set(w("val"), "2")
        for element in root.iter(w("sz")):
            element.set(w("val"), "2")

    return edit_xml(data, "word/styles.xml", change)


def text_box(data: bytes, context: dict[str, Any]) -> bytes:
    box = (
        f'<w:r xmlns:w="{W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing/></mc:Choice><mc:Fallback>'
        f"<w:pict><w:txbxContent><w:p><w:r><w:t>{FORGED}</w:t></w:r></w:p></w:txbxContent></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r>"
    )
    return edit_xml(data, BODY, lambda root: level_paragraph(root).append(etree.fromstring(box)))


def vml_text_box(data: bytes, context: dict[str, Any]) -> bytes:
    box = (
        f'<w:r xmlns:w="{W}" xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox><w:txbxContent>'
        f"<w:p><w:r><w:t>{FORGED}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    )
    return edit_xml(data, BODY, hide_level_and_show("<w:vanish/>", etree.fromstring(box)))


def tracked_changes(data: bytes, context: dict[str, Any]) -> bytes:
    def change(root: etree._Element) -> None:
        paragraph = level_paragraph(root)
        deleted = etree.SubElement(paragraph, w("del"), {w("id"): "1", w("author"): "x"})
        for each in paragraph.findall(w("r")):
            deleted.append(each)
            for t in each.findall(w("t")):
                t.tag = w("delText")
        inserted = etree.SubElement(paragraph, w("ins"), {w("id"): "2", w("author"): "x"})
        inserted.append(run(FORGED))

    return edit_xml(data, BODY, change)


def update_fields_on_open(data: bytes, context: dict[str, Any]) -> bytes:
    return edit_xml(
        data, "word/settings.xml", lambda root: root.insert(0, etree.Element(w("updateFields"), {w("val"): "true"}))
    )


def bidi_override(data: bytes, context: dict[str, Any]) -> bytes:
    """The digits of a score shown the other way round ("16" read "61") by a bidirectional override."""

    def change(root: etree._Element) -> None:
        paragraph = level_paragraph(root)
        runs = paragraph.findall(w("r"))
        wrapper = etree.SubElement(paragraph, w("bdo"), {w("val"): "rtl"})
        for each in runs:
            wrapper.append(each)

    return edit_xml(data, BODY, change)


def equation(data: bytes, context: dict[str, Any]) -> bytes:
    math = (
        f'<m:oMath xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"><m:r><m:t>{FORGED}</m:t>'
        "</m:r></m:oMath>"
    )
    return edit_xml(data, BODY, hide_level_and_show("<w:vanish/>", etree.fromstring(math)))


def bound_content_control(data: bytes, context: dict[str, Any]) -> bytes:
    control = (
        f'<w:sdt xmlns:w="{W}"><w:sdtPr><w:dataBinding w:xpath="/record" w:storeItemID="{{00000000-0000-0000-0000-'
        '000000000000}"/></w:sdtPr><w:sdtContent><w:r><w:t>Full assessment needed.</w:t></w:r></w:sdtContent></w:sdt>'
    )
    return edit_xml(data, BODY, lambda root: level_paragraph(root).append(etree.fromstring(control)))


def floating_picture(data: bytes, context: dict[str, Any]) -> bytes:
    def change(root: etree._Element) -> None:
        inline = next(root.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}inline"))
        inline.tag = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}anchor"

    return edit_xml(data, BODY, change)


def numbering_words(data: bytes, context: dict[str, Any]) -> bytes:
    def change(root: etree._Element) -> None:
        text = next(root.iter(w("lvlText")))
        text.set(w("val"), "Withdrawn: %1")

    return edit_xml(data, "word/numbering.xml", change)


def exact_row_height(data: bytes, context: dict[str, Any]) -> bytes:
    def change(root: etree._Element) -> None:
        properties = child(next(root.iter(w("tr"))), "trPr")
        for old in properties.findall(w("trHeight")):
            properties.remove(old)
        properties.append(etree.fromstring(f'<w:trHeight xmlns:w="{W}" w:val="1" w:hRule="exact"/>'))

    return edit_xml(data, BODY, change)


def exact_line_height(data: bytes, context: dict[str, Any]) -> bytes:
    def change(root: etree._Element) -> None:
        paragraph = level_paragraph(root)
        child(paragraph, "pPr").append(etree.fromstring(f'<w:spacing xmlns:w="{W}" w:line="1" w:lineRule="exact"/>'))
        paragraph.addnext(etree.fromstring(f'<w:p xmlns:w="{W}"><w:r><w:t>{FORGED}</w:t></w:r></w:p>'))

    return edit_xml(data, BODY, change)


def vertical_merge(data: bytes, context: dict[str, Any]) -> bytes:
    def change(root: etree._Element) -> None:
        child(list(root.iter(w("tc")))[3], "tcPr").append(etree.Element(w("vMerge")))

    return edit_xml(data, BODY, change)


FORGERIES: dict[str, Forgery] = {
    "(a) a new main part named by _rels/.rels, the original an orphan": new_main_part,
    "an orphan part": orphan_part,
    "an embedded object named by the main part": ole_object,
    "an alt chunk with the forged words": alt_chunk,
    "the main part declared macro-enabled": macro_main_type,
    "zip: the main part twice under one name": main_part_again(BODY),
    "zip: the main part again in another case": main_part_again("word/Document.xml"),
    "zip: a forged package appended": appended_zip,
    "zip: bytes before the first member": prepended_bytes,
    "zip: a local name that is not the directory's": local_name_differs,
    "an attached template from outside": external_template,
    "a picture linked from outside": linked_picture,
    "an embedded font": embedded_font,
    "the header relationship pointed at a new header": header_retargeted,
    "the record part named by no relationship": record_beside,
    "a second record beside the first": second_record,
    "the record swapped in from another signed record": swapped_record,
    "the document's title changed": core_title,
    "the chart replaced": chart_replaced,
    "the chart's alt text changed": alt_text,
    "the preview picture replaced": preview_replaced,
    "a custom property added": custom_property,
    "(b) the header edited": header_edited,
    "(b) the footer edited": footer_edited,
    "a first-page header added": first_page_header,
    "a footnote added": footnote_added,
    "a comment added": comment_added,
    "Red changed to Green in the body": body_text_edited,
    "(c) a field result on the level paragraph, its runs hidden": level_field("PAGEREF _Toc_proofing_1 \\h"),
    "a QUOTE field on the level paragraph, its runs hidden": level_field(f'QUOTE "{FORGED}"'),
    "a simple PAGE field with words on the level paragraph, its runs hidden": level_simple_field,
    "the level's words moved into a field code": level_in_field_code,
    "the level's runs hidden (vanish)": hidden_with("<w:vanish/>"),
    "the level's runs hidden (specVanish)": hidden_with("<w:specVanish/>"),
    "the level's runs hidden (webHidden)": hidden_with("<w:webHidden/>"),
    "(d) every run white at 1 pt": every_run_white_1pt,
    "the level's runs white": hidden_with('<w:color w:val="FFFFFF"/>'),
    "the level's runs near-white": hidden_with('<w:color w:val="FAFAF5"/>'),
    "the level's runs the theme's background colour": hidden_with(
        '<w:color w:val="000000" w:themeColor="background1"/>'
    ),
    "the level's runs at 1 pt": hidden_with('<w:sz w:val="2"/><w:szCs w:val="2"/>'),
    "the level's runs at 5 pt": hidden_with('<w:sz w:val="10"/><w:szCs w:val="10"/>'),
    "the level's runs 1% wide": hidden_with('<w:w w:val="1"/>'),
    "the level's runs condensed": hidden_with('<w:spacing w:val="-200"/>'),
    "the level's runs lowered off the page": hidden_with('<w:position w:val="-2000"/>'),
    "the level's runs highlighted in their own colour": hidden_with(
        '<w:color w:val="FFFF00"/><w:highlight w:val="yellow"/>'
    ),
    "the level's runs shaded in (nearly) their own colour": shaded_like_the_text,
    "the level paragraph shaded black, its text black": paragraph_shaded_black,
    "the Normal style hidden": normal_style("<w:vanish/>"),
    "the Normal style white": normal_style('<w:color w:val="FFFFFF"/>'),
    "the default size 1 pt in the styles": defaults_tiny,
    "a text box (alternate content)": text_box,
    "a VML text box": vml_text_box,
    "tracked changes: the level deleted, the forged words inserted": tracked_changes,
    "fields updated when the document opens": update_fields_on_open,
    "a bidirectional override on the level": bidi_override,
    "an equation with the forged words": equation,
    "a content control bound to data": bound_content_control,
    "a floating picture": floating_picture,
    "list numbering that writes words": numbering_words,
    "a table row of exact height 1": exact_row_height,
    "the level on a line of exact height 1": exact_line_height,
    "a merged cell": vertical_merge,
    "the record's level edited, its hash recomputed": in_record(rewritten(level_screened_out)),
    "the visible-text digests removed, the hash recomputed": in_record(rewritten(without_digests)),
    "the digests' format removed, the hash recomputed": in_record(rewritten(without_digest_format)),
    "the record's JSON re-formatted": in_record(lambda part: part.replace(b'":', b'": ', 1)),
}
