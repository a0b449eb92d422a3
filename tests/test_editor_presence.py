"""A second editor on the same map is told who else has it open; stale marks are ignored."""

from __future__ import annotations

import json
import subprocess
import sys
import time

from cjm_tui.store.presence import Presence, presence_dir

from test_editor_keys import copy_sample, editor


def notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_second_editor_names_the_first(tmp_path):
    path = copy_sample(tmp_path)
    # another process has the map open (presence is per process: host and pid)
    other = subprocess.Popen(
        [sys.executable, "-c", f"from cjm_tui.store.presence import Presence; import time; Presence.claim({str(path)!r}); print('ok', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert other.stdout.readline().strip() == "ok"
        async with editor(path, notifications=True) as (app, pilot):
            await pilot.pause(0.2)
            said = " ".join(notices(app))
            assert "Also editing this map" in said
            own = [p for p in presence_dir(path).glob("*") if p.is_file()]
            assert len(own) == 2, own  # the other's mark and ours
        # closed: our mark is gone, the other's stays
        time.sleep(0.1)
        assert len([p for p in presence_dir(path).glob("*") if p.is_file()]) == 1
    finally:
        other.kill()
        other.wait()


async def test_a_stale_mark_from_a_crashed_editor_is_ignored(tmp_path):
    path = copy_sample(tmp_path)
    mark = Presence.claim(path)
    assert mark.active
    # make it look like a crashed editor: a pid that is not running
    info = json.loads(mark.file.read_text())
    info["pid"] = 999_999
    mark.file.write_text(json.dumps(info))
    async with editor(path, notifications=True) as (app, pilot):
        await pilot.pause(0.2)
        assert "Also editing" not in " ".join(notices(app))
