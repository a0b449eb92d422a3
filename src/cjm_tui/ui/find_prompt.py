"""Find (/ n N) and the one-line prompt bar the editor asks questions in."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input, Label

from .textfit import literal


class PromptInput(Input):
    BINDINGS = [Binding("escape", "cancel", "cancel", id="prompt.cancel")]

    def action_cancel(self) -> None:
        self.app.cancel_prompt()  # type: ignore[attr-defined]

    def on_focus(self) -> None:
        self.app.replay_keys()  # type: ignore[attr-defined]

    def on_mount(self) -> None:
        # mounted on first use, after ask() already wanted the focus here
        if getattr(self.app, "_prompt_cb", None) is not None:
            self.focus()
            self.cursor_position = len(self.value)


class FindPromptActions:
    """Mixed into CjmApp: find across cards, and the prompt bar."""

    #: the open prompt's old value: (as shown, as it was)
    _prompt_default: tuple[str, str] = ("", "")

    # -- find ------------------------------------------------------------------------------------
    def do_find(self) -> None:
        # the last search, selected: Enter repeats it, typing starts a new one
        self.ask("Find:", self.grid.find_text, self._find, select=True)

    def _find(self, text: str) -> None:
        self.grid.find_text = text
        self.grid.refresh()
        if text:
            self._find_step(1, include_current=True)

    def _find_order(self) -> list[tuple[str, str, int]]:
        m = self.history.map
        lanes = [lane.id for lane in self.grid.lanes()]
        out = []
        for s in m.stages:
            for lid in lanes:
                for i, _ in enumerate(s.peek(lid)):
                    out.append((s.id, lid, i))
        return out

    def _find_step(self, direction: int, include_current: bool = False) -> None:
        needle = self.grid.find_text.lower()
        if not needle:
            self.notify("Nothing to find: press / first", timeout=2)
            return
        m = self.history.map
        order = self._find_order()
        hits = [p for p in order if needle in m.stage(p[0]).peek(p[1])[p[2]].text.lower()]
        hidden = self._hidden_hits(needle)
        if not hits:
            if hidden:
                self.notify(
                    f"{literal(self.grid.find_text)!r} is only in hidden lanes: {hidden} (r s shows them)",
                    severity="warning",
                    timeout=5,
                )
            else:
                self.notify(f"No card contains {literal(self.grid.find_text)!r}", severity="warning", timeout=3)
            return
        here = self.grid.current()
        try:
            pos = order.index(here)
        except ValueError:
            pos = -1
        rank = {p: i for i, p in enumerate(order)}
        if direction > 0:
            after = [h for h in hits if rank[h] > pos or (include_current and rank[h] == pos)]
            target = after[0] if after else hits[0]
        else:
            before = [h for h in hits if rank[h] < pos]
            target = before[-1] if before else hits[-1]
        self.grid.focus_ids(*target)
        more = f" (and in hidden lanes: {hidden})" if hidden else ""
        self.notify(f"match {hits.index(target) + 1} of {len(hits)}{more}", timeout=3 if more else 1.5)

    def _hidden_hits(self, needle: str) -> str:
        """Hidden lanes holding a match, as "Thoughts (2), Pain points (1)"; "" if none."""
        m = self.history.map
        found = []
        for lane in m.lanes:
            if lane.hidden:
                n = sum(needle in c.text.lower() for s in m.stages for c in s.peek(lane.id))
                if n:
                    found.append(f"{literal(lane.name)} ({n})")
        return ", ".join(found)

    def do_find_next(self) -> None:
        self._find_step(1)

    def do_find_prev(self) -> None:
        self._find_step(-1)

    # -- prompt bar ---------------------------------------------------------------------------------
    def _prompt_bar(self):
        """The prompt bar, mounted on first use (an Input costs start-up time)."""
        found = self.screen.query("#prompt")
        if found:
            bar = found.first()
            return bar, bar.query_one("#prompt-label", Label), bar.query_one("#prompt-input", PromptInput)
        from textual.containers import Horizontal

        label, inp = Label("", id="prompt-label"), PromptInput(id="prompt-input", select_on_focus=False)
        bar = Horizontal(label, inp, id="prompt")
        bottom = self.screen.query_one("#bottom")
        bottom.mount(bar, before=bottom.query_one("#status"))
        return bar, label, inp

    def ask(self, label: str, default: str, callback, select: bool = False) -> None:
        """One line of input under the grid. The cursor goes after *default*, so typing
        adds to it (a name, a question); with *select* typing replaces it (a search, a path)."""
        bar, label_widget, inp = self._prompt_bar()
        label_widget.update(label)
        inp.select_on_focus = select
        # the old value as the grid shows it: a control character (an escape sequence in a
        # name) as a visible symbol, never raw to the terminal; submitted unchanged, the
        # callback gets the old value back as it was
        shown = literal(default).replace("\n", " ")
        self._prompt_default = (shown, default)
        inp.value = shown
        bar.add_class("visible")
        self._prompt_cb = callback
        self._key_queue = []
        inp.focus()
        inp.cursor_position = len(shown)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # (a mixin: Textual's @on decorator is only collected from widget classes)
        if event.input.id != "prompt-input":
            return
        self._submit_prompt(event.value)

    def _submit_prompt(self, value: str) -> None:
        cb = self._prompt_cb
        shown, default = self._prompt_default
        if value == shown:
            value = default
        self._close_prompt()
        if cb is not None:
            cb(value)

    def cancel_prompt(self) -> None:
        self._close_prompt()

    def _close_prompt(self) -> None:
        self._prompt_cb = None
        self._key_queue = None
        for bar in self.screen.query("#prompt"):
            bar.remove_class("visible")
        self.grid.focus()
