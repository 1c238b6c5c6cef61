"""Persian text for renderers that neither join letters nor lay out right-to-left (Pillow's basic
layout, matplotlib)."""

from __future__ import annotations

import arabic_reshaper
from bidi import get_display

_MIRRORED = str.maketrans("()[]«»", ")(][»«")


def shaped(text: str) -> str:
    """Letters joined, order visual, brackets and guillemets mirrored as a right-to-left line shows them."""
    return get_display(arabic_reshaper.reshape(text)).translate(_MIRRORED)
