"""Functional-model examples shared by the tests (spec dicts; copy before changing)."""

from __future__ import annotations

import copy
from typing import Any

ISSUE_SPEC: dict[str, Any] = {
    "inputs": [{"name": "image", "shape": [32, 32, 3], "batch_size": None},
               {"name": "meta", "shape": [5]}],
    "layers": [{"name": "conv", "type": "Conv2D", "filters": 8, "kernel_size": 3,
                "inbound": ["image"]},
               {"name": "flat", "type": "Flatten", "inbound": ["conv"]},
               {"name": "joined", "type": "Concatenate", "axis": -1,
                "inbound": ["flat", "meta"]},
               {"name": "score", "type": "Dense", "units": 1, "inbound": ["joined"]},
               {"name": "kind", "type": "Dense", "units": 3, "inbound": ["joined"]},
               {"name": "kind_again", "shares": "kind", "inbound": ["joined"]}],
    "outputs": ["score", "kind", "kind_again"]}
"""Issue 4's example: an image and a meta input, conv → flatten → concatenate, two Dense
heads, and a second call of one head (a shared layer)."""


def issue_spec() -> dict[str, Any]:
    """A fresh copy of :data:`ISSUE_SPEC`."""
    return copy.deepcopy(ISSUE_SPEC)
