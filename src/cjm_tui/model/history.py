"""Unlimited undo and redo over operations with inverses."""

from __future__ import annotations

from dataclasses import dataclass, field

from .journey import JourneyMap
from .ops import Op


@dataclass
class History:
    """Applies operations to a map and remembers how to take them back.

    ``revision`` counts every change (do, undo, redo), so a saver can tell
    whether the map changed since it last wrote it.
    """

    map: JourneyMap
    undo_stack: list[tuple[Op, Op]] = field(default_factory=list)
    redo_stack: list[tuple[Op, Op]] = field(default_factory=list)
    revision: int = 0

    def do(self, op: Op) -> Op:
        inverse = op.apply(self.map)
        self.undo_stack.append((op, inverse))
        self.redo_stack.clear()
        self.revision += 1
        return op

    def can_undo(self) -> bool:
        return bool(self.undo_stack)

    def can_redo(self) -> bool:
        return bool(self.redo_stack)

    def undo(self) -> Op | None:
        """Take back the last change; returns the operation applied (the inverse)."""
        if not self.undo_stack:
            return None
        op, inverse = self.undo_stack.pop()
        redo = inverse.apply(self.map)
        self.redo_stack.append((redo, inverse))
        self.revision += 1
        return inverse

    def redo(self) -> Op | None:
        if not self.redo_stack:
            return None
        op, _ = self.redo_stack.pop()
        inverse = op.apply(self.map)
        self.undo_stack.append((op, inverse))
        self.revision += 1
        return op
