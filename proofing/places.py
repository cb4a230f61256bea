"""Places as data: the council's electoral wards, and the named areas made of them (rules/places.yaml).

A plan says where it applies by choosing places, not by writing them, so a rule can target a ward (a plan in
Queensway is a plan in Caia Park) and two plans can be compared by place. An area (a neighbourhood or community the
strategy names, such as Caia Park) lists its wards; choosing an area counts as choosing each of its wards.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from proofing.base import Slug, Strict, Text


class NamedPlace(Strict):
    """A ward, or an area made of wards, that a plan can say it applies to."""

    id: Slug
    name: Text
    welsh_name: Text | None = Field(default=None, description="its official Welsh form, when it differs")
    kind: Literal["ward", "area"]
    wards: list[Slug] = Field(default=[], description="for an area: the ids of the wards it is made of")
    notes: Text | None = None

    @model_validator(mode="after")
    def _areas_have_wards(self) -> NamedPlace:
        if self.kind == "area" and not self.wards:
            raise ValueError(f"area {self.id} needs the wards it is made of")
        if self.kind == "ward" and self.wards:
            raise ValueError(f"ward {self.id} is a ward; only an area lists wards")
        return self

    @property
    def names(self) -> list[str]:
        """Every name it is known by (English, then Welsh), for matching words a plan once wrote."""
        return [self.name] + ([self.welsh_name] if self.welsh_name and self.welsh_name != self.name else [])


class PlacesInfo(Strict):
    """Where the list comes from, so an officer knows what to check it against."""

    council: Text
    source: Text


class PlacesFile(Strict):
    places_info: PlacesInfo
    places: list[NamedPlace] = Field(min_length=1)
