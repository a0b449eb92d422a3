"""Reading and writing map files with tomlkit, so hand-written comments survive.

Saving *patches* the document that was loaded: only values that changed are
touched, in place, so one edit is one changed line of the file, comments and
unknown keys stay where they were, and saving an unedited file changes no byte.
A new file is written in the canonical shape (fixed key order, one card a line).
"""

from __future__ import annotations

import difflib
import re
import tomllib
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import AoT, Array, String, StringType, Table, Trivia, Whitespace
from tomlkit.toml_document import TOMLDocument

from ..model import JourneyMap
from ..model.journey import MAP_FIELDS, PERSONA_LIST_FIELDS, PERSONA_TEXT_FIELDS
from .errors import MapError
from .files import toml_error
from .schema import (
    FORMAT_VERSION,
    lane_to_data,
    map_from_data,
    stage_to_data,
)

STAGE_SCALARS = ("id", "name", "emotion", "feeling", "question")
LANE_SCALARS = ("id", "name", "question", "hidden")


def parse(text: str, path: str | None = None) -> tuple[JourneyMap, TOMLDocument]:
    """Parse map text into (map, document). Raises MapError naming the place."""
    try:
        doc = tomlkit.parse(text)
    except TOMLKitError as exc:
        # report what tomllib reports, so the editor and `cjm check` give the same
        # message and place (tomlkit's columns are 0-based, its lines count U+2028 ...)
        try:
            tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc2:
            raise toml_error(exc2, text, path) from None
        msg = str(exc).rsplit(" at line ", 1)[0]
        line = getattr(exc, "line", None)
        col = getattr(exc, "col", None)
        raise MapError(f"not valid TOML: {msg}", path, line, None if col is None else col + 1) from None
    try:
        data = doc.unwrap()
    except Exception as exc:  # pragma: no cover - defensive: tomlkit raising on odd input
        raise MapError(f"not valid TOML: {exc}", path) from None
    try:
        m = map_from_data(data)
    except MapError as exc:
        raise exc.with_location(path, text) from None
    return m, doc


def dumps(m: JourneyMap, doc: TOMLDocument | None = None) -> str:
    """The text of *m*, patched onto *doc* (the loaded document) when given."""
    return tomlkit.dumps(patch(m, doc))


def patch(m: JourneyMap, doc: TOMLDocument | None = None) -> TOMLDocument:
    """Bring *doc* in line with *m*, touching only what differs. Returns the document."""
    fresh = doc is None
    if doc is None:
        doc = tomlkit.document()
    _set(doc, "format", FORMAT_VERSION, ("format",) + MAP_FIELDS)
    order = ("format",) + MAP_FIELDS
    for key in MAP_FIELDS:
        value = getattr(m, key) or None
        if key == "kind" and value == "current" and not fresh and "kind" not in doc:
            continue  # the default, left unwritten in a hand-written file: don't add a line
        _set(doc, key, value, order)
    _patch_persona(m, doc)
    lane_ids = m.lane_ids()
    _patch_aot(doc, "lanes", [lane_to_data(lane) for lane in m.lanes], LANE_SCALARS, ())
    _patch_aot(doc, "stages", [stage_to_data(s, lane_ids) for s in m.stages], STAGE_SCALARS, tuple(lane_ids))
    return doc


# -- helpers -----------------------------------------------------------------------


def _plain(item: Any) -> Any:
    return item.unwrap() if hasattr(item, "unwrap") else item


def _same(current: Any, wanted: Any) -> bool:
    cur = _plain(current)
    if cur == wanted and type(cur) is type(wanted):
        return True
    # a hand-written `age = 43` reads as "43" in the model: leave it alone
    if isinstance(wanted, str) and not isinstance(cur, (str, list, dict)):
        return str(cur) == wanted or (isinstance(cur, bool) and wanted == ("true" if cur else "false"))
    return False


def _container(table: Any) -> Any:
    return table.value if isinstance(table, Table) else table.container if hasattr(table, "container") else table


def _set(table: Any, key: str, value: Any, order: tuple[str, ...]) -> None:
    """Set, replace or remove one key, keeping its place in *order*."""
    if value is None or value == "" or value == []:
        if key in table:
            del table[key]
        return
    if key in table:
        if isinstance(value, list):
            _sync_array(table, key, value)
        elif not _same(table[key], value):
            table[key] = _new_item(value)
        return
    _insert(table, key, _new_item(value), order)


_ESCAPE = re.compile(r'[\x00-\x1f"\\\x7f\x85\u2028\u2029]')
_SHORT = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _string(value: str) -> String:
    """A one-line "basic string" with every control character and Unicode line break
    (U+0085, U+2028, U+2029) escaped: a card is always one physical line, in git and
    in every editor, and tomllib reads it back (no TOML 1.1 escapes such as \\e)."""
    text = _ESCAPE.sub(lambda m: _SHORT.get(m[0]) or f"\\u{ord(m[0]):04x}", value)
    return String(StringType.SLB, value, text, Trivia())


def _new_item(value: Any, inline: bool = False) -> Any:
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        arr = tomlkit.array()
        for v in value:
            arr.append(_new_item(v, inline=True))
        if not inline:
            arr.multiline(True)
        return arr
    if isinstance(value, dict):
        t = tomlkit.inline_table()
        for k, v in value.items():
            t[k] = _new_item(v, inline=True)
        return t
    return tomlkit.item(value)


def _insert(table: Any, key: str, item: Any, order: tuple[str, ...]) -> None:
    """Insert *key* after the nearest key that comes before it in *order*."""
    _insert_in_container(table, key, item, order)
    if isinstance(table, Table):
        # a Table is also a dict of its own: inserting into its container alone leaves
        # that dict without the key, and a later `del table[key]` raises KeyError
        dict.__setitem__(table, key, table.value[key])


def _insert_in_container(table: Any, key: str, item: Any, order: tuple[str, ...]) -> None:
    container = table if isinstance(table, TOMLDocument) else table.value
    try:
        pos = order.index(key)
    except ValueError:
        pos = len(order)
    for prev in reversed(order[:pos]):
        if prev in container:
            container._insert_after(prev, key, item)
            return
    # nothing before it: put it first among the plain keys
    for k in [key.key for key, _ in container.body if key is not None]:  # file order, not dict order
        if k != key and not isinstance(container[k], (Table, AoT)):
            # insert before the first plain key that comes later in order
            if k in order[pos + 1 :] or k not in order:
                idx = container._map[k]
                idx = idx[0] if isinstance(idx, tuple) else idx
                container._insert_at(idx, key, item)
                return
    # only tables (or nothing): before the first table
    for k in [key.key for key, _ in container.body if key is not None]:  # file order, not dict order
        if isinstance(container[k], (Table, AoT)):
            idx = container._map[k]
            idx = idx[0] if isinstance(idx, tuple) else idx
            container._insert_at(idx, key, item)
            return
    container.append(key, item)


def _sync_array(table: Any, key: str, wanted: list[Any]) -> None:
    """Edit the array at *key* in place: only changed items are touched."""
    arr = table[key]
    if isinstance(arr, Array) and len(arr) == len(wanted) and all(_same(a, w) for a, w in zip(arr, wanted)):
        return  # e.g. a hand-written `lucky_numbers = [3, 7]` reads as ["3", "7"]: leave it alone
    if not isinstance(arr, Array) or "\n" not in arr.as_string():
        # an inline array written by hand (or not an array): write it in canonical shape
        if _plain(arr) != wanted:
            table[key] = _new_item(wanted)
        return
    current = [_plain(v) for v in arr]
    if current == wanted:
        return
    keys_now = [_key(v) for v in current]
    keys_new = [_key(v) for v in wanted]
    ops = difflib.SequenceMatcher(a=keys_now, b=keys_new, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in reversed(ops):
        if tag == "equal":
            continue
        common = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(common):
            arr[i1 + k] = _array_value(wanted[j1 + k])
        for k in reversed(range(i1 + common, i2)):
            del arr[k]
        for k in range(j1 + common, j2):
            arr.insert(i1 + (k - j1), _array_value(wanted[k]))
    if [_plain(v) for v in arr] != wanted:  # pragma: no cover - guard against tomlkit surprises
        table[key] = _new_item(wanted)


def _array_value(value: Any) -> Any:
    return _new_item(value, inline=True)


def _key(value: Any) -> str:
    return repr(value)


def _patch_persona(m: JourneyMap, doc: TOMLDocument) -> None:
    p = m.persona
    if p.is_empty():
        if "persona" in doc:
            table = doc["persona"]
            # keep a [persona] table that holds hand-written sub-tables; drop an empty one
            for key in list(table.keys()):
                if key in PERSONA_TEXT_FIELDS or key in PERSONA_LIST_FIELDS or _in_model(table[key]):
                    del table[key]
            if not table:
                del doc["persona"]
        return
    if "persona" not in doc:
        _insert_table(doc, "persona", tomlkit.table(), before=("lanes", "stages"))
    table = doc["persona"]
    order = PERSONA_TEXT_FIELDS + PERSONA_LIST_FIELDS + tuple(p.other)
    for key in PERSONA_TEXT_FIELDS:
        _set(table, key, getattr(p, key) or None, order)
    for key in PERSONA_LIST_FIELDS:
        _set(table, key, list(getattr(p, key)) or None, order)
    for key in list(table.keys()):
        if key not in order and _in_model(table[key]):
            del table[key]
    for key, value in p.other.items():
        _set(table, key, list(value) if isinstance(value, list) else value, order)


def _in_model(item: Any) -> bool:
    """Whether the model holds this persona value (text, number, true/false, array), so its
    absence from the model means the user removed it. Tables, inline tables and dates
    written by hand are not in the model and stay in the file."""
    return not isinstance(item, Table) and isinstance(_plain(item), (str, int, float, list))


def _insert_table(doc: TOMLDocument, key: str, table: Any, before: tuple[str, ...]) -> None:
    """Add a table before the first of *before* present, else at the end."""
    later = [k for k in before if k in doc]
    if not later:
        doc.append(key, table)
        return
    moved = {k: doc[k] for k in later}
    for k in later:
        del doc[k]
    doc.append(key, table)
    for k, v in moved.items():
        doc.append(k, v)


def _patch_aot(doc: TOMLDocument, key: str, wanted: list[dict[str, Any]], scalars: tuple[str, ...], arrays: tuple[str, ...]) -> None:
    """Make the array of tables *key* hold *wanted*, matching tables by id."""
    if not wanted:
        if key in doc:
            del doc[key]
        return
    if key not in doc or not isinstance(doc[key], AoT):
        aot = tomlkit.aot()
        for d in wanted:
            aot.append(_new_table(d, scalars + arrays))
        if key in doc:
            del doc[key]
        if key == "lanes":
            _insert_table(doc, key, aot, before=("stages",))
        else:
            doc.append(key, aot)
        return
    aot = doc[key]
    ids = [_plain(t.get("id")) for t in aot]
    wanted_ids = [d["id"] for d in wanted]
    if ids != wanted_ids:
        _reorder(aot, ids, wanted, scalars + arrays)
        # the body, not doc.keys(): a key inserted mid-document goes last in the dict's order
        last_key = next((k.key for k, _ in reversed(doc.body) if k is not None), None)
        for i, table in enumerate(aot):
            _trailing_gap(table, i < len(aot) - 1 or last_key != key)
    order = scalars + arrays
    for table, d in zip(aot, wanted):
        for k in order:
            if k in d:
                _set(table, k, d[k], order)
            elif k in table and not _empty_equivalent(_plain(table[k])):
                # gone from the model; a hand-written empty value (`hidden = false`,
                # `feeling = ""`, `actions = []`) means the same, so it is left as written
                del table[k]
        if key == "stages":
            # cards of a lane that is gone: an array the schema would refuse as an undeclared lane
            for k in [k for k in table if k not in order and isinstance(table[k], Array)]:
                del table[k]
            _order_lane_arrays(table, arrays)


def _order_lane_arrays(table: Table, lane_ids: tuple[str, ...]) -> None:
    """Keep a stage's card arrays in lane order (after a lane moved, or undo of a move)."""
    lanes = set(lane_ids)
    body = table.value.body
    # empty arrays written by hand (`thoughts = []`) stay where they were written
    present = [k.key for k, v in body if k is not None and k.key in lanes and not _empty_equivalent(_plain(v))]
    wanted = [k for k in lane_ids if k in present]
    if present == wanted:
        return
    first = next(i for i, (k, _) in enumerate(body) if k is not None and k.key in present)
    prev = next((k.key for k, _ in reversed(body[:first]) if k is not None), None)
    items = {k: table.value[k] for k in wanted}
    for k in wanted:
        del table[k]
    for k in wanted:
        if prev is None:
            table.value._insert_at(0, k, items[k])
        else:
            table.value._insert_after(prev, k, items[k])
        dict.__setitem__(table, k, table.value[k])
        prev = k


def _reorder(aot: AoT, ids: list[Any], wanted: list[dict[str, Any]], order: tuple[str, ...]) -> None:
    wanted_ids = [d["id"] for d in wanted]
    keep = set(wanted_ids)
    for i in reversed(range(len(ids))):
        if ids[i] not in keep:
            del aot[i]
            del ids[i]
    for i, d in enumerate(wanted):
        if i < len(ids) and ids[i] == d["id"]:
            continue
        if d["id"] in ids[i:]:
            j = ids.index(d["id"], i)
            table = aot[j]
            del aot[j]
            del ids[j]
            aot.insert(i, table)
        else:
            aot.insert(i, _new_table(d, order))
        ids.insert(i, d["id"])


def _empty_equivalent(value: Any) -> bool:
    """A written value that means "unset": "", [] or false (not 0: an emotion of 0 is a score)."""
    return value is False or (isinstance(value, (str, list)) and not value)


def _trailing_gap(table: Table, gap: bool) -> None:
    """One blank line after each table of an array of tables, none after the file's last."""
    body = table.value.body
    # tomlkit may put a newline before the header of a table that was moved up (AoT.insert)
    table.trivia.indent = table.trivia.indent.lstrip("\r\n")
    while body and body[-1][0] is None and isinstance(body[-1][1], Whitespace) and not body[-1][1].s.strip():
        body.pop()
    if gap:
        table.value.append(None, Whitespace("\n"))


def _new_table(d: dict[str, Any], order: tuple[str, ...]) -> Table:
    t = tomlkit.table()
    for k in order:
        if k in d:
            t.add(k, _new_item(d[k]))
    return t
