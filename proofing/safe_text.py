"""User text made safe for each face that shows it: a page (Markdown or plain text), a terminal, a spreadsheet.

A plan's title, service, owner and answers are typed by people and uploaded in files: whatever they hold is shown
as exactly that text, never run. One home for every face, so no page, export or command forgets one:

- ``text``: the plain-text face (a table cell, st.text, a chart label, a select box's option). Lone surrogates
  (which UTF-8 cannot encode) become U+FFFD; control characters (a bell, an escape, a NUL, C1 controls, the
  direction overrides that reorder what a reader sees) are shown visibly, as their Unicode pictures (U+2407 for a
  bell) or U+FFFD, never passed on to the browser or a file.
- ``markdown``: the Markdown face (st.title, st.markdown, st.write, a widget's label, an alert): ``text``, then
  every ASCII punctuation character escaped, so nothing typed becomes a link, an image (a fetch: a tracking pixel),
  emphasis, a heading, a colour directive (:red[...]), an emoji code, LaTeX ($...$) or HTML.
- ``terminal``: the command line's face: every control character (and a lone surrogate) written as its escape
  (``\\x1b``), so a title cannot move the cursor, retitle the window or clear the screen.
- ``cell``: a spreadsheet's face (CSV and Excel): ``text``, then a leading ``= + - @`` (what a spreadsheet runs
  as a formula: =HYPERLINK(...) sends data away) kept as text with a leading quote.

The Word record has its own face in proofing.record (``clean_text``: what XML 1.0 cannot hold is removed).
"""

from __future__ import annotations

import re
from typing import Any

# Every ASCII punctuation character: CommonMark lets a backslash make any of them literal.
_MARKDOWN = re.compile(r"([!-/:-@\[-`{-~])")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# C0 controls but tab and newline, DEL, C1 controls, the bidirectional embeddings, overrides and isolates, the
# line and paragraph separators, and the two noncharacters U+FFFE and U+FFFF.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]")
_FORMULA_START = ("=", "+", "-", "@")
# What a Markdown renderer turns into a link even with every punctuation character escaped (GFM's autolink
# literals: "http://...", "www.", "name@host"): a word joiner (U+2060, invisible) is put in each.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z0-9]:)(?=//)|(?<=\bwww)(?=\.)|(?<=@)")
WORD_JOINER = "\u2060"


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # U+2400..U+241F: the Control Pictures block, ␀ to ␟ (␇ for a bell, ␛ for ESC)
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def text(value: object) -> str:
    """User text for a plain-text face: control characters shown visibly, lone surrogates replaced.

    Tabs and newlines are kept (a CR LF becomes a newline); everything else is as typed.

    Examples:
        >>> text("bell\\x07 escape\\x1b[2J done")
        'bell␇ escape␛[2J done'
        >>> text("lone \\ud800 half") == "lone \\ufffd half"
        True
        >>> text("Dŵr a thŷ\\r\\nline two\\tend")
        'Dŵr a thŷ\\nline two\\tend'
    """
    shown = str(value).replace("\r\n", "\n")
    shown = _SURROGATE.sub("\ufffd", shown)
    return _CONTROL.sub(_picture, shown)


def markdown(value: object) -> str:
    r"""User text for a Markdown face: ``text``, then every punctuation character escaped; lines kept as lines.

    An address or e-mail in it is not made a link: an invisible word joiner (U+2060) goes after ``http:``, ``www``
    and ``@``, as GFM links those even when escaped.

    Examples:
        >>> print(markdown(":red[APPROVED] ![p](x.png)"))
        \:red\[APPROVED\] \!\[p\]\(x\.png\)
        >>> print(markdown("bell\x07"))
        bell␇
        >>> markdown("http://a.b www.c.d e@f.g") == "http\\:\u2060\\/\\/a\\.b www\u2060\\.c\\.d e\\@\u2060f\\.g"
        True
    """
    joined = _AUTOLINK.sub(WORD_JOINER, text(value))
    return _MARKDOWN.sub(r"\\\1", joined).replace("\n", "  \n")


def terminal(value: object) -> str:
    r"""Text for a terminal: every control character but newline and tab as its escape, lone surrogates too.

    Examples:
        >>> print(terminal("title\x1b]0;owned\x07 here"))
        title\x1b]0;owned\x07 here
        >>> print(terminal("lone \udc80"))
        lone \udc80
        >>> terminal("Dŵr\n\ttŷ")
        'Dŵr\n\ttŷ'
    """
    shown = str(value)
    shown = _SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", shown)
    return _CONTROL.sub(lambda match: _escape(match.group()), shown.replace("\r\n", "\n"))


def _escape(character: str) -> str:
    """A C0 control as ``\\xNN``; any other as ``\\uNNNN``, which is also a JSON escape (the CLI prints JSON)."""
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x20 else f"\\u{code:04x}"


def cell(value: Any) -> Any:
    """A value for a spreadsheet cell (CSV or Excel): text made safe by ``text`` and never a formula.

    Text a spreadsheet would run (``=``, ``+``, ``-`` or ``@`` first, after any spaces) keeps a leading quote;
    numbers, dates and None are left as they are.

    Examples:
        >>> cell('=HYPERLINK("http://host")')
        '\\'=HYPERLINK("http://host")'
        >>> cell("bell\\x07")
        'bell␇'
        >>> cell(3)
        3
    """
    if not isinstance(value, str):
        return value
    shown = text(value)
    if shown.lstrip()[:1] in _FORMULA_START or shown[:1] in ("\t", "\n"):
        return "'" + shown
    return shown


def clean(value: Any) -> Any:
    """A copy of a JSON-like structure whose strings have no lone surrogate (U+FFFD instead): what a file read
    from outside (an uploaded plan or record) may hold but no database, UTF-8 file or page can.

    Examples:
        >>> clean({"title": "a\\ud800", "answers": {"n": 3, "x": ["\\udfff"]}}) == {
        ...     "title": "a\\ufffd", "answers": {"n": 3, "x": ["\\ufffd"]}}
        True
    """
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {clean(key): clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [clean(item) for item in value]
    return value


__all__ = ["cell", "clean", "markdown", "terminal", "text"]
