"""Keeping an open map in step with its file on disk and with other editors.

Every second the editor looks at the file. When someone else changed it (a git
pull, a colleague's editor, a second terminal), the change is merged three ways
with our own edits (base = the file as we last read or wrote it), shown, and
saved. Cards changed on both sides are kept twice, marked as a conflict the
user resolves with ``x`` (keep this version). The marks say who wrote each
version (``ana@build-01 pts/3``; the other side: the other editor when exactly
one other has the map open, else ``on disk``), never "ours" / "theirs", which
would mean the opposite on the other person's screen. A file that became
invalid is never written over: saving waits until it is valid again (or
save-as).

Before every write the saver (ui/autosave.py) holds the map's save lock, reads
the file and, when it holds anything but what we last read or wrote (or it came
back after being deleted), calls ``check_disk(force=True)`` to merge it: reading,
merging and writing are one step between editors.

Presence: while open, the map carries a mark saying who edits it where; a
second editor says who else is there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import JourneyMap, ops
from ..store.document import FileStamp
from ..store.errors import MapError
from ..store.files import loads_fast, read_text

if TYPE_CHECKING:  # pragma: no cover
    from ..store.presence import Presence

CHECK_SECONDS = 1.0
HEARTBEAT_SECONDS = 30.0
#: the conflict mark on the version from disk when we cannot tell whose it is
ON_DISK = "on disk"


class SyncMixin:
    """Mixed into CjmApp: disk watching, outside-change merges, presence, conflicts."""

    _presence: Presence | None = None
    _others_seen: frozenset = frozenset()
    _blocked: str | None = None
    #: the file as we last read or wrote it, kept when it was deleted under us
    _gone_base: str | None = None

    # -- presence ---------------------------------------------------------------------
    def start_sync(self) -> None:
        self.set_interval(CHECK_SECONDS, self.check_disk)
        if self.saver.read_only:
            return
        # loaded here, after the first frame (it brings json, secrets, getpass: ~3 ms)
        from ..store.presence import Presence

        try:
            self._presence = Presence.claim(self.document.path)
        except OSError:
            self._presence = None
        # a conflict version marked with our own label reads "you, ana@build-01 pts/3"
        self.grid.own_label = self._own_label()
        if any(c.conflict == self.grid.own_label for _s, _l, c in self.history.map.conflict_cards()):
            self.grid.relayout()
        self.set_interval(HEARTBEAT_SECONDS, self._heartbeat)
        self._check_others(initial=True)

    def stop_sync(self) -> None:
        if self._presence is not None:
            try:
                self._presence.release()
            except OSError:
                pass
            self._presence = None

    def _heartbeat(self) -> None:
        if self._presence is not None:
            try:
                self._presence.heartbeat()
            except OSError:
                pass
        self._check_others()

    def _check_others(self, initial: bool = False) -> None:
        from ..store.presence import Presence

        try:
            others = Presence.others(self.document.path)
        except OSError:
            return
        keys = frozenset((o.host, o.pid) for o in others)
        new = [o for o in others if (o.host, o.pid) not in self._others_seen]
        self._others_seen = keys
        if new:
            who = "; ".join(o.describe() for o in new)
            lead = "Also editing this map" if initial else "Another editor opened this map"
            self.notify(f"{lead}: {who}. Edits from both are merged.", severity="warning", timeout=10)

    # -- outside changes ----------------------------------------------------------------
    def check_disk(self, force: bool = False) -> None:
        """Look at the file; merge an outside change in. Called every second, and by
        the saver just before it writes (*force*: even with a card editor open)."""
        doc = self.document
        if not force and (self.saver._writing or self._editing is not None):
            return  # never merge under an open card editor or an unfinished write
        stamp = FileStamp.of(doc.path)
        if stamp == doc.stamp and not force:
            return
        if stamp is None:
            if doc.disk_text is not None and not self.saver.read_only:
                self.notify(f"{doc.path.name} was deleted or moved away: writing it again from memory", severity="warning")
                # still the merge base, should another editor write the file back first
                self._gone_base = doc.disk_text
                doc.disk_text = None
                doc.stamp = None
                self.saver.changed()
            return
        try:
            theirs_text = read_text(doc.path)
        except MapError as exc:
            self._block(f"cannot read the file on disk: {exc.message}")
            doc.stamp = stamp
            return
        if theirs_text == doc.disk_text:
            doc.stamp = stamp
            self._unblock()
            return
        self.merge_outside_change(theirs_text, stamp)

    def _base_map(self):
        """The map as the file held it when we last read or wrote it (the merge base)."""
        doc = self.document
        text = doc.disk_text if doc.disk_text is not None else self._gone_base
        cached = getattr(self, "_base_cache", None)
        if cached is not None and cached[0] is text:
            return cached[1]
        base = loads_fast(text, str(doc.path)) if text is not None else None
        self._base_cache = (text, base)
        return base

    def merge_outside_change(self, theirs_text: str, stamp: FileStamp | None) -> None:
        """Merge *theirs_text* (the file now) with our edits; the screen settles at once,
        the TOML document is patched when the autosave runs."""
        doc = self.document
        ours_unsaved = self.history.revision != self.saver.saved_revision or doc.disk_text is None
        try:
            theirs = loads_fast(theirs_text, str(doc.path))
            base = self._base_map() if ours_unsaved else None
            if ours_unsaved and base is None:
                # a new map of ours, and someone else wrote the file first: nothing in common
                base = JourneyMap()
        except MapError as exc:
            doc.stamp = stamp
            self._block(f"the file on disk is not a valid map ({exc.where()}: {exc.message}); not writing over it")
            return
        self._unblock()
        if base is None:
            # nothing of ours is waiting: take theirs as it is, comments and all
            new_map, result = theirs, None
            doc.lazy_text = theirs_text
        else:
            from ..model.merge import merge3

            mine, other = self._conflict_labels()
            result = merge3(base, self.history.map, theirs, ours_label=mine, theirs_label=other)
            new_map = result.map
        # Undo must not take back someone else's edit: after a merge the history
        # starts again (older steps would no longer apply to the merged map anyway).
        had_history = self.history.can_undo()
        marked_before = self._conflict_marks(self.history.map)
        self.history.do(ops.ReplaceMap(new_map, "merge outside change"))
        self.history.undo_stack.clear()
        self.history.redo_stack.clear()
        doc.disk_text = theirs_text
        doc.stamp = stamp
        if result is None:
            self.saver.saved_revision = self.history.revision
        self.grid.set_map(self.history.map)
        self._update_title()
        self._refresh_curve()
        if result is None:
            self.notify(
                "The file changed on disk: reloaded" + (" (undo history starts again here)" if had_history else ""),
                timeout=4,
            )
            marked = len(self._conflict_marks(new_map) - marked_before)
            if marked:
                # another editor merged and marked a conflict: this side must hear of it too
                # (once: a colleague's next saves reload the same marks)
                self.notify(f"{marked} card{'s' if marked != 1 else ''} marked ⚠ as versions in conflict: press x on the one to keep",
                            severity="warning", timeout=10)
            self.saver._set("saved")
        else:
            came = result.changes_from_theirs
            lines = [f"Merged a change from disk: {len(came)} change{'s' if len(came) != 1 else ''} came in; undo history starts again here"]
            lines += [f"• {c}" for c in came[:5]]
            if len(came) > 5:
                lines.append(f"… and {len(came) - 5} more")
            if result.conflicts:
                lines.append(f"{len(result.conflicts)} conflict(s): cards marked ⚠ — press x on the version to keep")
            self.notify("\n".join(lines), severity="warning" if result.conflicts else "information", timeout=10)
            self.saver.changed()
        self._update_status()

    @staticmethod
    def _conflict_marks(m) -> set[tuple[str, str, str, str]]:
        return {(s.id, lid, c.text, c.conflict) for s, lid, c in m.conflict_cards()}

    def _own_label(self) -> str:
        from ..store.presence import own_label

        return self._presence.info.label() if self._presence is not None else own_label()

    def _conflict_labels(self) -> tuple[str, str]:
        """The marks a merge puts on the two versions of a card: who wrote each.

        Ours: this editor (``ana@build-01 pts/3``). Theirs: the other editor when the
        presence marks show exactly one, else ``on disk`` (a git pull, another program,
        or several editors: we cannot tell whose it is)."""
        from ..store.presence import Presence

        mine = self._own_label()
        try:
            others = Presence.others(self.document.path)
        except OSError:
            others = []
        other = others[0].label() if len(others) == 1 else ON_DISK
        if other == mine:  # one person in two editors of one terminal: tell them apart
            other = f"{other} (other editor)"
        return mine, other

    def _block(self, reason: str) -> None:
        if self._blocked != reason:
            self._blocked = reason
            self.saver.blocked = reason
            self.saver._set("failed", reason)
            self.notify(reason, severity="error", timeout=10)

    def _unblock(self) -> None:
        if self._blocked is not None:
            self._blocked = None
            self.saver.blocked = None
            self.saver.changed()

    # -- conflicts ---------------------------------------------------------------------------
    def do_keep_version(self) -> None:
        """On a conflict card: keep this version, drop the other side's, clear the mark."""
        where = self._where()
        if not where:
            return
        sid, lid, ci = where
        cards = self.history.map.stage(sid).peek(lid)
        if not cards or not cards[ci].conflict:
            self.notify("This card is not a merge conflict", timeout=2)
            return
        mine = cards[ci]
        partner = conflict_partner(cards, ci)
        kept = mine.copy()
        kept.conflict = None
        steps: list[ops.Op] = [ops.ReplaceCard(sid, lid, ci, kept)]
        if partner is not None:
            steps.append(ops.DeleteCard(sid, lid, partner))
        self.apply(ops.Batch(steps, "resolve conflict"))
        if partner is not None and partner < ci:
            self.grid.focus_ids(sid, lid, ci - 1)


def conflict_partner(cards, i: int) -> int | None:
    """The index of the other version of conflict card *i*, or None (a card kept
    from a delete-edit conflict has no other version).

    A merge writes each conflict as one card per side, side by side, the two
    marked differently (``ours`` / ``theirs``, or who wrote them). In a run of
    marked cards the versions are paired from the first: a card and the next one
    with a different mark; a card followed by one with the same mark stands
    alone. So two conflicts in one cell (``A1 B1 A2 B2``) pair as the merge made
    them, not ``B1`` with ``A2``."""
    if not (0 <= i < len(cards)) or not cards[i].conflict:
        return None
    start = i
    while start > 0 and cards[start - 1].conflict:
        start -= 1
    j = start
    while j < len(cards) and cards[j].conflict:
        nxt = j + 1
        if nxt < len(cards) and cards[nxt].conflict and cards[nxt].conflict != cards[j].conflict:
            if i in (j, nxt):
                return nxt if i == j else j
            j += 2
        else:
            if i == j:
                return None
            j += 1
    return None
