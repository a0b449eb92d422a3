"""Every editor action with an id, a description and its default keys.

Textual bindings are single keys; the editor also needs key sequences (``d d``,
``s a`` for "add stage") that work over SSH where few ctrl/alt combinations
arrive. So the grid's keys go through this table: each action has a stable id,
the help screen and the command palette are generated from it, and a user
remaps any id in the settings file::

    [keys]
    add_stage = "ctrl+n"        # one key
    delete_card = ["d d", "delete"]   # several, a sequence is keys split by spaces
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Action:
    id: str
    keys: tuple[str, ...]
    description: str
    group: str
    #: shown in the status line hints for this context
    hint: str | None = None


ACTIONS: tuple[Action, ...] = (
    # moving
    Action("left", ("h", "left"), "Move to the previous stage", "Move"),
    Action("right", ("l", "right"), "Move to the next stage", "Move"),
    Action("down", ("j", "down"), "Move to the next card (then the next lane)", "Move"),
    Action("up", ("k", "up"), "Move to the previous card (then the previous lane)", "Move"),
    Action("first_lane", ("g",), "Go to the first lane", "Move"),
    Action("last_lane", ("G",), "Go to the last lane", "Move"),
    Action("first_stage", ("0", "home"), "Go to the first stage", "Move"),
    Action("last_stage", ("$", "end"), "Go to the last stage", "Move"),
    Action("page_down", ("pagedown", "ctrl+f"), "Scroll down a page", "Move"),
    Action("page_up", ("pageup", "ctrl+b"), "Scroll up a page", "Move"),
    # cards
    Action("edit_card", ("enter", "i"), "Edit the card (Esc or ctrl+s to finish)", "Cards", "edit"),
    Action("add_after", ("a", "o"), "Add a card after this one", "Cards", "add"),
    Action("add_before", ("A", "O"), "Add a card before this one", "Cards"),
    Action("external_edit", ("E",), "Edit the card in $EDITOR", "Cards"),
    Action("delete_card", ("d d", "delete"), "Delete the card (undo with u)", "Cards", "del"),
    Action("card_prev_stage", ("H", "shift+left"), "Move the card to the previous stage", "Cards"),
    Action("card_next_stage", ("L", "shift+right"), "Move the card to the next stage", "Cards"),
    Action("card_down", ("J", "shift+down"), "Move the card down", "Cards"),
    Action("card_up", ("K", "shift+up"), "Move the card up", "Cards"),
    Action("tag_card", ("t",), "Edit the card's tags", "Cards"),
    Action("card_source", ("e s",), "Edit the card's source (evidence)", "Cards"),
    Action("keep_version", ("x",), "Merge conflict: keep this version of the card", "Cards"),
    # emotion
    Action("emotion_up", ("+",), "Raise the stage's emotion", "Emotion", "±emotion"),
    Action("emotion_down", ("-",), "Lower the stage's emotion", "Emotion"),
    Action("emotion_clear", ("=",), "Clear the stage's emotion", "Emotion"),
    Action("stage_feeling", ("s f",), "Write the stage's feeling note", "Emotion"),
    # stages
    Action("add_stage", ("s a",), "Add a stage after this one", "Stages"),
    Action("add_stage_before", ("s A",), "Add a stage before this one", "Stages"),
    Action("rename_stage", ("s r",), "Rename the stage", "Stages"),
    Action("delete_stage", ("s d",), "Delete the stage and its cards", "Stages"),
    Action("move_stage_left", ("s h",), "Move the stage left", "Stages"),
    Action("move_stage_right", ("s l",), "Move the stage right", "Stages"),
    Action("stage_question", ("s q",), "Write the stage's guiding question", "Stages"),
    # lanes
    Action("add_lane", ("r a",), "Add a lane below this one", "Lanes"),
    Action("rename_lane", ("r r",), "Rename the lane", "Lanes"),
    Action("delete_lane", ("r d",), "Delete the lane and its cards", "Lanes"),
    Action("move_lane_up", ("r k",), "Move the lane up", "Lanes"),
    Action("move_lane_down", ("r j",), "Move the lane down", "Lanes"),
    Action("hide_lane", ("r h",), "Hide the lane", "Lanes"),
    Action("show_lanes", ("r s",), "Show hidden lanes", "Lanes"),
    Action("lane_question", ("r q",), "Write the lane's guiding question", "Lanes"),
    # history
    Action("undo", ("u", "ctrl+z"), "Undo", "History", "undo"),
    Action("redo", ("ctrl+r", "ctrl+y"), "Redo", "History"),
    # find
    Action("find", ("/",), "Find cards", "Find", "find"),
    Action("find_next", ("n",), "Next match", "Find"),
    Action("find_prev", ("N",), "Previous match", "Find"),
    # views
    Action("persona", ("p",), "Persona and scenario", "View", "persona"),
    Action("toggle_curve", ("c",), "Show or hide the emotion curve", "View"),
    Action("help", ("?", "f1"), "Help: every key (searchable)", "View", "help"),
    Action("palette", ("ctrl+p", ":"), "Command palette: every action by name", "View"),
    Action("save_now", ("ctrl+s",), "Save now (cjm also saves as you go)", "File"),
    Action("save_as", ("W",), "Save as another file", "File"),
    Action("quit", ("q", "ctrl+q"), "Quit (your edits are saved)", "File", "quit"),
)

BY_ID = {a.id: a for a in ACTIONS}


def short_name(action_id: str) -> str:
    """A word or two for an action in key hints: add_stage_before -> "add before"."""
    words = [w for w in action_id.split("_") if w not in ("stage", "stages", "lane", "lanes")]
    return " ".join(words) or action_id


def parse_keys(value: str | list[str]) -> tuple[str, ...]:
    """Settings values: a string or list of strings, each a key or a space-separated sequence."""
    if isinstance(value, str):
        value = [value]
    return tuple(" ".join(v.split()) for v in value if v.strip())


class KeyMap:
    """Resolves key presses (and sequences) to action ids."""

    def __init__(self, overrides: dict[str, str | list[str]] | None = None) -> None:
        self.keys: dict[str, tuple[str, ...]] = {a.id: a.keys for a in ACTIONS}
        self.warnings: list[str] = []
        for action_id, value in (overrides or {}).items():
            if action_id not in BY_ID:
                self.warnings.append(f"unknown action {action_id!r} in [keys]")
                continue
            keys = parse_keys(value)
            if keys:
                self.keys[action_id] = keys
        self._build()
        self.pending: tuple[str, ...] = ()

    def _build(self) -> None:
        self.sequences: dict[tuple[str, ...], str] = {}
        self.prefixes: set[tuple[str, ...]] = set()
        for action_id, keys in self.keys.items():
            for k in keys:
                seq = tuple(k.split(" "))
                self.sequences.setdefault(seq, action_id)
                for i in range(1, len(seq)):
                    self.prefixes.add(seq[:i])

    def feed(self, key: str) -> tuple[str | None, bool]:
        """Feed one key. Returns (action id or None, whether the key was consumed)."""
        seq = self.pending + (key,)
        if seq in self.prefixes:
            self.pending = seq
            return None, True
        self.pending = ()
        action = self.sequences.get(seq)
        if action:
            return action, True
        if len(seq) > 1:
            # an unfinished sequence followed by another key: try the key alone
            return self.feed(key)
        return None, False

    def continuations(self, width: int = 0) -> str:
        """What may follow the keys typed so far, e.g. "s then: a add  r rename ...";
        within *width* cells (when given) moves pair up ("h/l move") and "then" goes."""
        n = len(self.pending)
        nxt = [(seq[n], short_name(action_id)) for seq, action_id in self.sequences.items()
               if len(seq) == n + 1 and seq[:n] == self.pending]
        lead = " ".join(self.pending)
        text = lead + " then: " + "  ".join(f"{k} {name}" for k, name in nxt)
        if not width or len(text) <= width:
            return text
        key_of = {name: k for k, name in nxt}
        pairs = {"move left": "move right", "move up": "move down"}
        paired = {b for a, b in pairs.items() if a in key_of and b in key_of}
        parts = []
        for k, name in nxt:
            if name in paired:
                continue  # shown with its partner
            if pairs.get(name) in paired:
                parts.append(f"{k}/{key_of[pairs[name]]} move")
            else:
                parts.append(f"{k} {name.replace('add before', 'before')}")
        return lead + ": " + "  ".join(parts)

    def first_key(self, action_id: str) -> str:
        keys = self.keys.get(action_id, ())
        return keys[0] if keys else ""

    def describe(self, action_id: str) -> str:
        return ", ".join(self.keys.get(action_id, ()))
