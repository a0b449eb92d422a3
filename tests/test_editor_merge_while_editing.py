"""An outside change merged while a card is open in the editor: the text lands on its card."""

from __future__ import annotations

import tomllib

from cjm_tui.model import Card
from cjm_tui.store import codec

from test_editor_keys import copy_sample, editor, wait_saved


async def test_edit_lands_on_its_card_after_a_merge_moved_it(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        await pilot.press("j", "enter", *" MINE")  # second card of Search / Actions, editor open
        await pilot.pause(0.1)
        m, doc = codec.parse(path.read_text(encoding="utf-8"))
        m.stage("search").cards("actions").insert(0, Card("THEIRS inserted first"))
        path.write_text(codec.dumps(m, doc), encoding="utf-8")
        app.check_disk(force=True)  # what the saver does before writing
        await pilot.press("escape")
        await wait_saved(pilot, app)
    actions = tomllib.loads(path.read_text(encoding="utf-8"))["stages"][0]["actions"]
    texts = [a if isinstance(a, str) else a["text"] for a in actions]
    assert texts[0] == "THEIRS inserted first"
    assert texts[2] == "Scans the ads at the top of the results first MINE"
    assert "MINE" not in texts[1]
