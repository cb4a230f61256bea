"""The HTML record, read back: the canonical record its page embeds, and the digests of what the page shows.

An HTML record (proofing.report.html) is one self-contained page. Its canonical record travels in a
``<script type="application/json" id="proofing-record">`` element, with its format, sha256 and any signature as
``data-`` attributes, the JSON exactly as ``canonical_json`` writes it but with ``<``, ``>`` and ``&`` escaped
(``\\u003c``), so that no text in a plan can close the script. The record also holds the sha256 of what the page
shows, part by part: the page's head (its title, its style sheet, its language) and each top-level section of
the record (a heading of the second level and what follows it), each as every element, attribute and text.

What the writer never makes, and that would show a reader something these digests could not follow, is refused
outright: any element or attribute outside the few the writer uses (no scripts but the record, no inline styles,
no frames, objects or forms, no links out of the page, pictures only as inline PNG), and a second record script.
So any change a reader could see, including a class or a style rule that hides text, changes a digest.
"""

from __future__ import annotations

import hashlib
import re

from lxml import etree

from proofing.record import RECORD_FORMAT, EmbeddedRecord, RecordError, checked_json
from proofing.visible import RECORD_SHA_PLACEHOLDER

HTML_VISIBLE_FORMAT = "proofing-visible-html/1"
RECORD_SCRIPT_ID = "proofing-record"
HEAD_SECTION = "Page head"
TITLE_SECTION = "Title page"

_ELEMENTS = frozenset(
    "html head meta title style script body header main article nav section h1 h2 h3 h4 p span strong br ul ol li "
    "a table thead tbody tr th td figure img figcaption".split()
)
_ATTRIBUTES = frozenset(
    "lang id class href scope colspan alt src width height charset name content type aria-labelledby "
    "data-format data-sha256 data-signature".split()
)
_SAFE_URL = re.compile(r"^(#[A-Za-z0-9_\-]+|data:image/png;base64,[A-Za-z0-9+/=]+)$")
_DOCTYPE = re.compile(rb"^\s*<!doctype html>", re.IGNORECASE)


def is_html(data: bytes) -> bool:
    """Whether a file's bytes are an HTML page (as proofing writes its records: starting with the doctype)."""
    return bool(_DOCTYPE.match(data[:100]))


def script_json(canonical: bytes) -> bytes:
    """Canonical JSON as the record script holds it: ``<``, ``>`` and ``&`` escaped, so no text closes the script.

    Examples:
        >>> script_json(b'{"a":"</script>&"}')
        b'{"a":"\\\\u003c/script\\\\u003e\\\\u0026"}'
    """
    return canonical.replace(b"<", b"\\u003c").replace(b">", b"\\u003e").replace(b"&", b"\\u0026")


def parse_page(data: bytes, label: str) -> etree._Element:
    """The page's element tree, parsed without the network; RecordError when it is not a page proofing wrote."""
    parser = etree.HTMLParser(encoding="utf-8", no_network=True, remove_comments=False)
    try:
        root = etree.fromstring(data, parser)
    except (etree.ParserError, ValueError) as error:
        raise RecordError(f"{label}: not a web page that can be read ({error})") from None
    if root is None or root.tag != "html":
        raise RecordError(f"{label}: not a web page that can be read")
    return root


def _refuse_constructs(root: etree._Element, label: str) -> None:
    """Refuse what proofing's HTML writer never makes, in words."""
    scripts = 0
    for element in root.iter():
        if not isinstance(element.tag, str):
            raise RecordError(f"{label}: the page holds a comment or instruction, which proofing never writes")
        if element.tag not in _ELEMENTS:
            raise RecordError(f"{label}: the page holds <{element.tag}>, which proofing never writes")
        for name, value in element.attrib.items():
            if name not in _ATTRIBUTES:
                raise RecordError(f"{label}: the page holds a {name} attribute, which proofing never writes")
            if name in ("href", "src") and not _SAFE_URL.match(value):
                raise RecordError(f"{label}: the page links to {value[:60]!r}, outside itself")
        if element.tag == "script":
            scripts += 1
            if element.get("id") != RECORD_SCRIPT_ID or element.get("type") != "application/json":
                raise RecordError(f"{label}: the page holds a script, which proofing never writes")
    if scripts != 1:
        raise RecordError(
            f"{label}: " + ("is not a proofing record: it embeds no record" if not scripts else "embeds two records")
        )


def _canonical(element: etree._Element, record_sha: str | None, placeholder: str) -> str:
    """An element as a reader's browser takes it: its tag, attributes, text and children, in order."""
    text = element.text or ""
    if record_sha and text == record_sha:
        text = placeholder
    attributes = " ".join(f"{name}={value!r}" for name, value in sorted(element.attrib.items()))
    children = "".join(_canonical(child, record_sha, placeholder) + (child.tail or "") for child in element)
    return f"<{element.tag} {attributes}>{text}{children}</{element.tag}>"


def html_digests(root: etree._Element, label: str, record_sha: str | None = None) -> dict[str, str]:
    """The sha256 of each part of the page a reader sees, by name: the page's head (less the record script) and
    each section under a second-level heading, what comes before the first being the title page. Where the page
    quotes the record's own sha256 (`record_sha`) it is read as the placeholder it was written with."""
    _refuse_constructs(root, label)
    parts: dict[str, list[str]] = {HEAD_SECTION: [f"<html lang={root.get('lang')!r}>"]}
    head = root.find("head")
    body = root.find("body")
    if head is None or body is None:
        raise RecordError(f"{label}: the page has no head or no body, so it is not one proofing wrote")
    parts[HEAD_SECTION] += [_canonical(e, None, "") for e in head if e.tag != "script"]
    parts[HEAD_SECTION].append(f"<body {sorted(body.attrib.items())!r}>{body.text or ''}")
    current = TITLE_SECTION
    parts[current] = []

    def walk(element: etree._Element) -> None:
        nonlocal current
        for child in element:
            if child.tag in ("main", "article", "header", "nav", "section") and any(
                grandchild.tag == "h2" for grandchild in child.iter("h2")
            ):
                parts.setdefault(current, []).append(f"<{child.tag} {sorted(child.attrib.items())!r}>{child.text}")
                walk(child)
                parts.setdefault(current, []).append(f"</{child.tag}>{child.tail or ''}")
                continue
            if child.tag == "h2":
                name = " ".join("".join(child.itertext()).split()) or "Untitled section"
                base, count = name, 2
                while name in parts:
                    name, count = f"{base} ({count})", count + 1
                current = name
                parts[current] = []
            parts.setdefault(current, []).append(
                _canonical(child, record_sha, RECORD_SHA_PLACEHOLDER) + (child.tail or "")
            )

    walk(body)
    return {name: hashlib.sha256("".join(texts).encode("utf-8")).hexdigest() for name, texts in parts.items()}


def html_record(data: bytes, label: str) -> tuple[EmbeddedRecord, list[str]]:
    """The record an HTML page embeds, checked as a .docx's is (format, JSON, sha256), and the parts of the page
    that differ from what it was written with; RecordError when the page or its record is not intact."""
    root = parse_page(data, label)
    _refuse_constructs(root, label)
    script = next(root.iter("script"))
    found = script.get("data-format")
    if found != RECORD_FORMAT:
        raise RecordError(f"{label}: the record's format {found!r} is not one this version reads ({RECORD_FORMAT})")
    claimed = script.get("data-sha256")
    if not claimed:
        raise RecordError(f"{label}: the record has no sha256, so it cannot be checked")
    stored = (script.text or "").encode("utf-8")
    if not stored.isascii():
        raise RecordError(f"{label}: the record is not ASCII, so it was not written by proofing")
    record = checked_json(stored, claimed, script.get("data-signature"), label, script_json)
    written = record.payload.get("visible")
    if not isinstance(written, dict) or not written or record.payload.get("visible_format") != HTML_VISIBLE_FORMAT:
        raise RecordError(
            f"{label}: the record carries no digests of what its page shows (removed, or the record of another kind "
            "of file), so what it shows cannot be checked; write the record again"
        )
    now = html_digests(root, label, record.sha256)
    changed = [name for name, digest in written.items() if now.get(name) != digest]
    changed += [name for name in now if name not in written]
    if TITLE_SECTION in changed and len(changed) * 2 > len(written):
        raise RecordError(
            f"{label}: the record does not belong to this page: almost none of the page's text is the text the "
            "record was written with (a record copied from another file?)"
        )
    return record, changed
