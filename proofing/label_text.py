"""Text for a widget's label: inert as Markdown, yet read by a screen reader exactly as written.

Streamlit draws a widget's label as Markdown but gives the browser the label's raw text as its accessible name
(``aria-label``). ``safe_text.markdown`` escapes every punctuation character, which is right for a paragraph but
makes a screen reader say "backslash" in every label: "Who does the plan reach\\?". Here only the characters that
Markdown would act on in a one-line label are escaped, where it would act on them, so an ordinary question
("Will the plan change where, or when, people can use it?") is its own label, and a rule-base text that does hold
Markdown (``*``, ``[...](...)``, ``:red[...]``, ``$x$``, an emoji code, a list marker) is still shown as typed.
"""

from __future__ import annotations

import re

from proofing import safe_text

# Marks Markdown acts on anywhere in a line: escape, code, emphasis, strikethrough, links and directives, HTML and
# autolinks, LaTeX; an entity (&copy;); a colon that opens an emoji or icon code (:smile:, :material/home:).
_INLINE = re.compile(r"([\\`*_~\[\]<$])|&(?=#?\w+;)|:(?=[^\s:]+:)")
# Marks Markdown acts on at the start of a line: a heading, a quote, a list item (- + or "1." "1)"), a rule.
_LINE_START = re.compile(r"(?m)^([ \t]*)(?:([#>+=-])|(\d+)([.)]))")
_AUTOLINK = re.compile(r"(?i)(?<=[a-z0-9]:)(?=//)|(?<=\bwww)(?=\.)|(?<=@)")


def _inline(match: re.Match[str]) -> str:
    return "\\" + match.group()


def _line_start(match: re.Match[str]) -> str:
    indent, marker, number, closing = match.groups()
    return f"{indent}\\{marker}" if marker else f"{indent}{number}\\{closing}"


def label(value: object) -> str:
    r"""Text for a widget's label: ``safe_text.text``, then only what Markdown would act on escaped.

    Addresses and e-mail addresses get an invisible word joiner (U+2060), as in ``safe_text.markdown``, since GFM
    links them even when escaped.

    Examples:
        >>> label("Who does the plan reach? (staff, residents' groups)")
        "Who does the plan reach? (staff, residents' groups)"
        >>> print(label("*bold* [x](y) :red[z] :smile: $x$ a_b"))
        \*bold\* \[x\](y) :red\[z\] \:smile: \$x\$ a\_b
        >>> print(label("1. first"), label("- second"), label("# third: more"))
        1\. first \- second \# third: more
    """
    shown = _AUTOLINK.sub(safe_text.WORD_JOINER, safe_text.text(value))
    shown = _INLINE.sub(_inline, shown)
    return _LINE_START.sub(_line_start, shown).replace("\n", "  \n")
