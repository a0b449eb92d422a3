"""Card actions of the editor: edit inline or in $EDITOR, add, delete, move, tag."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile

from ..model import Card, ops
from .layout import HEADER_LINES, Gap, card_lines, card_text_width
from .textfit import literal, wrap


class CardActions:
    """Mixed into CjmApp (which provides history, grid, apply, ask, notify)."""

    # -- cards -----------------------------------------------------------------------------
    def _where(self) -> tuple[str, str, int] | None:
        sid, lid, ci = self.grid.current()
        if sid is None:
            self.notify("Add a stage first: s then a", severity="warning")
            return None
        if lid is None:
            self.notify("Add a lane first: r then a", severity="warning")
            return None
        return sid, lid, ci

    def do_edit_card(self) -> None:
        where = self._where()
        if not where:
            return
        sid, lid, ci = where
        cards = self.history.map.stage(sid).peek(lid)
        if not cards:
            self._begin_edit(sid, lid, 0, "new")
        else:
            self._begin_edit(sid, lid, ci, "edit")

    def do_add_after(self) -> None:
        where = self._where()
        if where:
            sid, lid, ci = where
            n = len(self.history.map.stage(sid).peek(lid))
            self._begin_edit(sid, lid, min(ci + 1, n) if n else 0, "new")

    def do_add_before(self) -> None:
        where = self._where()
        if where:
            sid, lid, ci = where
            self._begin_edit(sid, lid, ci if self.history.map.stage(sid).peek(lid) else 0, "new")

    def _begin_edit(self, sid: str, lid: str, index: int, mode: str) -> None:
        if self.saver.read_only:
            self.notify("This map is open read-only", severity="warning")
            return
        if self._editor is not None:
            # focus left an open editor (a mouse click on the grid): keep its text first
            self._commit_open_editor()
            return
        cards = self.history.map.stage(sid).peek(lid)
        text = cards[index].text if mode == "edit" else ""
        from .card_editor import CardEditor

        # the editor shows the text as the grid does: a control character (an escape
        # sequence from an import or a merge) as a visible symbol, never raw to the
        # terminal. Unchanged, the card keeps its text as it was (see _apply_edit).
        editor = CardEditor(literal(text), id="card-editor", soft_wrap=True, show_line_numbers=False, compact=True)
        # the card's text as it was, to find the card again if a merge moves it
        self._editing = (sid, lid, index, mode, text)
        self._editor = editor
        self._key_queue = []
        self._fit_editor()
        self.screen.mount(editor)
        editor.focus()
        editor.move_cursor(editor.document.end)
        self._update_status()

    def _fit_editor(self) -> None:
        """Make room in the grid for the open editor's text (the cards below move down)
        and put the editor there; again as the text grows, the terminal is resized or the
        map changes under it (an outside change merged, an undo from the palette)."""
        editor, editing = self._editor, self._editing
        if editor is None or editing is None:
            return
        sid, lid, index, mode, original = editing
        g = self.grid
        m = self.history.map
        shown = sid in m.stage_ids() and any(lane.id == lid for lane in g.lanes())
        if not shown:
            # the stage went, or the lane was hidden: no place to keep; the text is
            # kept all the same when the edit ends (as a new card if need be)
            if g.gap is not None:
                g.gap = None
                g.relayout()
            return
        cards = m.stage(sid).peek(lid)
        if mode == "edit" and not (index < len(cards) and cards[index].text == original):
            # the card moved (a card merged in above it): follow it by its text
            index = next((i for i, c in enumerate(cards) if c.text == original), min(index, len(cards)))
            self._editing = (sid, lid, index, mode, original)
        elif mode == "new":
            index = min(index, len(cards))
        width = max(12, g.stage_w - 1)
        # the editor's own wrapping keeps a line's trailing space and leaves a cell for
        # the cursor: measure a little narrow so the room is never a line short
        need = len(wrap(literal(editor.text), width - 2))
        if editor.is_mounted:
            need = max(need, editor.wrapped_document.height)
        lines = max(2, need + 1)  # and a line to type on
        replace = mode == "edit"
        if replace and index < len(cards):
            # no smaller than the card itself (its tags and source lines included)
            own, _ = card_lines(cards[index], card_text_width(g.stage_w), g.ascii_only, g.own_label)
            lines = max(lines, len(own))
        if not cards and g.body is not None:
            # an empty cell shows its lane's question: cover all of it
            lines = max(lines, len(g.body.question_lines.get(lid, ())))
        lines = min(lines, max(2, g.body_height - 1))  # longer text scrolls in the editor
        gap = Gap(sid, lid, index, lines, replace)
        if gap != g.gap or g.body is None or g.body.gap_rows is None:
            g.gap = gap
            g.relayout()
        if g.body is None or g.body.gap_rows is None or self._editor is not editor:
            return
        a, b = g.body.gap_rows
        g.reveal(a, b)
        col = m.stage_ids().index(sid) - g.first_col
        y = g.region.y + HEADER_LINES + a - g.top
        editor.styles.offset = (g.region.x + g.lane_w + max(0, col) * g.stage_w, y)
        editor.styles.width = width
        editor.styles.height = max(1, min(b - a, g.region.bottom - y))

    def _card_editor_left(self, editor) -> None:
        """The editor lost the focus. When the grid has it (a click), the edit ends and
        its text is kept, as leaving a field does; a palette or dialog over the editor
        gives the focus back to it instead."""
        if self._editor is editor and self.focused is self.grid:
            self._commit_open_editor()

    def on_text_area_changed(self, event) -> None:
        if event.text_area is self._editor:
            self._fit_editor()

    def _commit_open_editor(self) -> None:
        if self._key_queue:
            self.replay_keys()  # keys typed before the editor had focus are text too
        if self._editor is not None and self._editing is not None:
            self.finish_edit()

    def finish_edit(self) -> None:
        editor, editing = self._editor, self._editing
        if editor is None or editing is None:
            return
        self._editor = None
        self._editing = None
        self._key_queue = None
        text = editor.text.rstrip("\n")
        sid, lid, index, mode, original = editing
        try:
            editor.remove()
        except Exception:
            pass
        self.grid.focus()
        self.grid.gap = None
        try:
            self._apply_edit(sid, lid, index, mode, original, text)
        finally:
            if self.grid.body is not None and self.grid.body.gap_rows is not None:
                self.grid.relayout()  # nothing changed: close the room kept for the editor
        self._update_status()

    def _apply_edit(self, sid: str, lid: str, index: int, mode: str, original: str, text: str) -> None:
        m = self.history.map
        if mode == "new":
            if text.strip():
                cards = m.stage(sid).peek(lid) if sid in m.stage_ids() else []
                self.apply(ops.InsertCard(sid, lid, min(index, len(cards)), Card(text)))
        else:
            try:
                cards = m.stage(sid).peek(lid)
                if cards[index].text != original:
                    # an outside change merged while editing moved the card: find it by its text
                    index = next(i for i, c in enumerate(cards) if c.text == original)
                old = cards[index]
            except (KeyError, IndexError, StopIteration):
                # the card went away while editing (an outside change): keep the text as a new card
                if text.strip():
                    self.apply(ops.InsertCard(sid, lid, len(m.stage(sid).peek(lid)), Card(text)))
                return
            if not text.strip():
                self.apply(ops.DeleteCard(sid, lid, index))
                self.notify("Empty card deleted (u to undo)")
            elif text != literal(old.text):
                new = old.copy()
                new.text = text
                self.apply(ops.ReplaceCard(sid, lid, index, new))

    def do_external_edit(self) -> None:
        where = self._where()
        if not where or self.saver.read_only:
            return
        sid, lid, ci = where
        cards = self.history.map.stage(sid).peek(lid)
        old = cards[ci].text if cards else ""
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        try:
            argv = shlex.split(editor)
        except ValueError:
            argv = []
        if not argv or shutil.which(argv[0]) is None:
            self.notify(f"Cannot run the editor {editor!r}: not found. Set $EDITOR (or $VISUAL).", severity="error", timeout=6)
            return
        fd, tmp = tempfile.mkstemp(prefix="cjm-card-", suffix=".md")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(old + "\n")
            try:
                with self.suspend():
                    code = subprocess.call(argv + [tmp])
            except Exception as exc:
                self.notify(f"Could not run {editor}: {exc}", severity="error")
                return
            if code != 0:
                self.notify(f"{editor} exited with {code}; card unchanged", severity="warning")
                return
            with open(tmp, encoding="utf-8", errors="replace") as fh:
                text = fh.read().rstrip("\n")
        finally:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        if not cards:
            if text.strip():
                self.apply(ops.InsertCard(sid, lid, 0, Card(text)))
        elif text != old:
            new = cards[ci].copy()
            new.text = text
            self.apply(ops.ReplaceCard(sid, lid, ci, new))
        self.refresh()

    def do_delete_card(self) -> None:
        where = self._where()
        if where and self.history.map.stage(where[0]).peek(where[1]):
            if self.apply(ops.DeleteCard(*where)):
                # on the card that took its place (the one before if it was the last), as
                # vim's dd does: a second delete takes the next card, not one above
                self.grid.focus_ids(*where)

    def _move_card_to(self, to_stage: int | None, to_lane_offset: int) -> None:
        where = self._where()
        if not where:
            return
        sid, lid, ci = where
        m = self.history.map
        cards = m.stage(sid).peek(lid)
        if not cards:
            return
        if to_stage is not None:
            if not 0 <= to_stage < len(m.stages):
                self.notify(f"Already in the {'first' if to_stage < 0 else 'last'} stage", timeout=2)
                return
            tsid = m.stages[to_stage].id
            n = len(m.stage(tsid).peek(lid))
            self.apply(ops.MoveCard(sid, lid, ci, tsid, lid, min(ci, n)))
            return
        target = ci + to_lane_offset
        if 0 <= target < len(cards):
            self.apply(ops.MoveCard(sid, lid, ci, sid, lid, target))
            return
        # past the edge of the cell: into the neighbouring lane
        lanes = self.grid.lanes()
        li = self.grid.cursor.lane + (1 if to_lane_offset > 0 else -1)
        if 0 <= li < len(lanes):
            tl = lanes[li].id
            n = len(m.stage(sid).peek(tl))
            self.apply(ops.MoveCard(sid, lid, ci, sid, tl, 0 if to_lane_offset > 0 else n))
        else:
            self.notify(f"Already at the {'top' if to_lane_offset < 0 else 'bottom'} of the map", timeout=2)

    def do_card_prev_stage(self) -> None:
        self._move_card_to(self.grid.cursor.stage - 1, 0)

    def do_card_next_stage(self) -> None:
        self._move_card_to(self.grid.cursor.stage + 1, 0)

    def do_card_down(self) -> None:
        self._move_card_to(None, 1)

    def do_card_up(self) -> None:
        self._move_card_to(None, -1)

    def _edit_card_field(self, label: str, shown, parse) -> None:
        """Ask for one field of the current card; *shown* gives the text to start from,
        *parse* turns the answer into a changed copy of the card (or None: no change)."""
        where = self._where()
        if not where:
            return
        sid, lid, ci = where
        cards = self.history.map.stage(sid).peek(lid)
        if not cards:
            return
        card = cards[ci]

        def done(value: str) -> None:
            new = parse(card, value)
            if new is not None:
                self.apply(ops.ReplaceCard(sid, lid, ci, new))

        self.ask(label, shown(card), done)

    def do_tag_card(self) -> None:
        def parse(card: Card, value: str) -> Card | None:
            tags = [t.lstrip("#") for t in value.replace(",", " ").split() if t.lstrip("#")]
            if tags == card.tags:
                return None
            new = card.copy()
            new.tags = tags
            return new

        self._edit_card_field("Tags (space separated):", lambda c: " ".join(c.tags), parse)

    def do_card_source(self) -> None:
        def parse(card: Card, value: str) -> Card | None:
            if (value or None) == card.source:
                return None
            new = card.copy()
            new.source = value or None
            return new

        self._edit_card_field("Source (evidence):", lambda c: c.source or "", parse)
