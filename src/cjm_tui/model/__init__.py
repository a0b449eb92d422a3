"""The journey-map model: plain Python, importing neither Textual nor tomlkit.

History and the operations load on first use, so printing commands (`cjm check`,
`cjm show`) that only read maps start faster.
"""

from typing import TYPE_CHECKING

from .journey import (
    DEFAULT_LANES,
    EMOTION_MAX,
    EMOTION_MIN,
    EMOTION_WORDS,
    KIND_LABELS,
    KINDS,
    Card,
    JourneyMap,
    Lane,
    Persona,
    Stage,
    emotion_label,
    emotion_number,
    emotion_symbol,
    slugify,
    valid_id,
)

if TYPE_CHECKING:  # pragma: no cover
    from .history import History
    from .ops import Op, OpError

_LAZY = {"History": ".history", "Op": ".ops", "OpError": ".ops"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        module = importlib.import_module(_LAZY[name], __name__)
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_LANES", "EMOTION_MAX", "EMOTION_MIN", "EMOTION_WORDS", "KIND_LABELS", "KINDS",
    "Card", "History", "JourneyMap", "Lane", "Op", "OpError", "Persona", "Stage",
    "emotion_label", "emotion_number", "emotion_symbol", "slugify", "valid_id",
]
