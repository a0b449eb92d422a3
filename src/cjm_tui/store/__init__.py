"""Map files: TOML codec, atomic writes, errors that name the place."""

from .errors import MapError
from .schema import FORMAT_VERSION, SUFFIX

__all__ = ["FORMAT_VERSION", "MapError", "SUFFIX"]
