"""No module-level mutable state in nnlab: what every session shares cannot be changed by one of them."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from types import MappingProxyType

import numpy as np

import nnlab


def shared_values():
    """(qualified name, value) of every public module-level value in nnlab, its submodules included."""
    for info in pkgutil.walk_packages(nnlab.__path__, "nnlab."):
        if info.name == "nnlab.__main__":
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if not name.startswith("__"):
                yield f"{info.name}.{name}", value


def mutable_parts(name: str, value, depth: int = 0):
    """Names of the mutable containers in `value`, looking inside read-only mappings and tuples."""
    if isinstance(value, (list, dict, set, bytearray)) or isinstance(value, np.ndarray) and value.flags.writeable:
        yield name
    elif depth < 3 and isinstance(value, MappingProxyType):
        for key, item in value.items():
            yield from mutable_parts(f"{name}[{key!r}]", item, depth + 1)
    elif depth < 3 and isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from mutable_parts(f"{name}[{index}]", item, depth + 1)


def test_no_module_level_mutable_containers():
    found = [part for name, value in shared_values() for part in mutable_parts(name, value)]
    assert not found, found


def test_read_only_tables_still_read_like_dicts():
    from nnlab.generalization import REMEDIES, apply_remedy
    from nnlab.presets import PRESETS

    assert isinstance(REMEDIES, Mapping) and isinstance(PRESETS, Mapping)
    remedied, _ = apply_remedy(PRESETS["overfit"].experiment, "l2")
    assert remedied.model.regularization == "l2"
