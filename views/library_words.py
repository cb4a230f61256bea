"""The library's messages in this session's language (issue 25): what a page shows for an error the library raised.

The library raises errors as a code and values (proofing.errors); proofing.messages words them through the one
translator. A page shows ``worded(error)`` (or ``sentence_of(error)``, as a sentence) where it showed
``str(error)``, so a Welsh reader reads the store's, the workshop's and the permissions' refusals in Welsh.
"""

from __future__ import annotations

from proofing import messages
from views.common import translation


def worded(error: BaseException) -> str:
    """`error` in this session's language, as the library words it (to follow a colon, or stand in a list)."""
    return messages.worded(error, translation())


def sentence_of(error: BaseException) -> str:
    """`error` in this session's language as a sentence: a capital first and a full stop last."""
    return messages.said(error, translation())
