"""The library's `__all__` lists exactly the names it exports, and each of them exists."""

from __future__ import annotations

import types

import proofing


def test_all_is_complete_and_every_name_exists() -> None:
    public = {name for name in vars(proofing) if not name.startswith("_") and not _is_module(name)}
    assert set(proofing.__all__) == public
    for name in proofing.__all__:
        assert getattr(proofing, name) is not None


def _is_module(name: str) -> bool:
    return isinstance(getattr(proofing, name), types.ModuleType)  # proofing.cli is a module of a subclass
