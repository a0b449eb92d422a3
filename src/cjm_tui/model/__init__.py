"""The journey-map model: plain Python, importing neither Textual nor tomlkit."""

from .history import History
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
    emotion_symbol,
    slugify,
    valid_id,
)
from .ops import Op, OpError

__all__ = [
    "DEFAULT_LANES", "EMOTION_MAX", "EMOTION_MIN", "EMOTION_WORDS", "KIND_LABELS", "KINDS",
    "Card", "History", "JourneyMap", "Lane", "Op", "OpError", "Persona", "Stage",
    "emotion_symbol", "slugify", "valid_id",
]
