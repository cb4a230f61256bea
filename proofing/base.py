"""The base every rule-base and assessment model is built on: strict and immutable, with the shared field types.

A model of the rule base or of an assessment refuses unknown fields (a misspelt YAML key is an error, not a
silent default) and cannot be changed once made.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
# An id a council gives an item of its strategy (an outcome CC15, an action 15.1, a task MW23, a principle P1):
# any short word without spaces, so that any council's own numbering works.
ItemId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40, pattern=r"^\S+$")]


class Strict(BaseModel):
    """A model that refuses unknown fields and is immutable once made."""

    model_config = ConfigDict(extra="forbid", frozen=True)
