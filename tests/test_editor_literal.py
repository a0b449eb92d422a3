"""Card text with Rich markup or terminal escapes shows as text, never as styling or raw bytes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from test_editor_keys import (
    SAMPLES,
    card_texts,
    editor,
    goto,
    load,
    quiet,
    screen_text,
    stage_of,
    type_text,
    wait_saved,
)

MARKUP = "[bold red]x[/]"
ESCAPE = "\x1b[31mred\x1b[0m"
LINK = "[link=http://x]y[/link]"
OSC = "\x1b]0;pwned\x07title"  # would set the terminal's title if it reached the terminal


def literal_map(tmp_path: Path) -> Path:
    text = (SAMPLES / "joan-vacuum.cjm.toml").read_text()
    swaps = {
        '"Goes to a search engine and looks for a new vacuum cleaner"': '"[bold red]x[/]"',
        '"Scans the ads at the top of the results first"': '"\\u001b[31mred\\u001b[0m"',
        '"Which one is good value? Is there a deal on?"': '"[link=http://x]y[/link]"',
        '"I need this sorted tonight, I don\'t have time next week."': '"\\u001b]0;pwned\\u0007title"',
        'name = "Search"': 'name = "[b]Srch[/b]"',
        'name = "Actions"': 'name = "[i]Acts[/i]"',
        'title = "Joan buys a new vacuum"': 'title = "[red]Joan[/red] buys"',
        'feeling = "Matter-of-fact: a chore she wants done, hoping for a deal"': 'feeling = "[u]meh[/u]"',
    }
    for old, new in swaps.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "literal.cjm.toml"
    path.write_text(text)
    return path


def test_the_fixture_map_holds_the_raw_text(tmp_path):
    data = load(literal_map(tmp_path))
    assert card_texts(data, "search", "actions") == [MARKUP, ESCAPE]
    assert card_texts(data, "search", "thoughts") == [LINK, OSC]


async def test_markup_and_escapes_show_literally(tmp_path):
    path = literal_map(tmp_path)
    async with editor(path, size=(120, 40)) as (app, _pilot):
        text = screen_text(app)
        assert "\x1b" not in text and "\x07" not in text
        assert MARKUP in text
        assert LINK in text
        assert "[b]Srch[/b]" in text  # stage name
        assert "[i]Acts[/i]" in text  # lane name
        assert "[red]Joan[/red] buys" in text  # title
        assert "[u]meh[/u]" in text  # feeling
        # escape characters are shown as visible stand-ins, the rest of the text kept
        assert "[31mred" in text and "[0m" in text
        assert "pwned" in text and "title" in text
        # the status line shows the current stage and lane names literally too
        assert "[b]Srch[/b]" in text.rstrip("\n").splitlines()[-1]


def screen_segments(app):
    """The screen as Rich segments (text with its style), as the terminal gets them."""
    console = Console(width=app.size.width, height=app.size.height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return list(console._record_buffer)


async def test_markup_card_is_styled_like_any_other(tmp_path):
    """The segments drawn for a markup card carry the plain card style: no red, no bold, no link."""
    path = literal_map(tmp_path)
    async with editor(path, size=(120, 40)) as (app, pilot):
        await pilot.press("j", "j", "j")  # off the markup cards so no cursor style is on them
        segments = [seg for seg in screen_segments(app) if not seg.control]  # cursor moves are not text
        assert not any("\x1b" in seg.text or "\x07" in seg.text for seg in segments)
        plain = [seg for seg in segments if "Clicks the search ad" in seg.text]
        marked = [seg for seg in segments if MARKUP in seg.text or "[link=http://x]y" in seg.text]
        assert len(plain) == 1 and len(marked) == 2, (plain, marked)
        for seg in marked:
            assert seg.style == plain[0].style
            assert not seg.style.link


async def test_editing_a_markup_card_keeps_it_literal(tmp_path):
    path = literal_map(tmp_path)
    async with editor(path, size=(120, 40)) as (app, pilot):
        await goto(pilot, app, "search", "actions", 0)
        await pilot.press("enter")
        assert app._editor.text == MARKUP
        await type_text(pilot, "[/i]")
        await pilot.press("escape")
        await wait_saved(pilot, app)
        assert MARKUP + "[/i]" in screen_text(app)
        # an escape-holding card round-trips unchanged through an edit that changes nothing
        await pilot.press("j", "enter", "escape")
        await quiet(pilot, 0.1)
    data = load(path)
    assert card_texts(data, "search", "actions") == [MARKUP + "[/i]", ESCAPE]


async def test_the_card_editor_shows_escapes_as_symbols_never_raw(tmp_path):
    """Opening a card that holds escape sequences sends no raw escape to the terminal;
    unchanged it keeps its bytes, edited it is saved as it was shown."""
    path = literal_map(tmp_path)
    async with editor(path, size=(120, 40)) as (app, pilot):
        await goto(pilot, app, "search", "thoughts", 1)  # the OSC card: would retitle the terminal
        await pilot.press("enter")
        assert app._editor is not None
        segments = [seg for seg in screen_segments(app) if not seg.control]
        assert not any("\x1b" in seg.text or "\x07" in seg.text for seg in segments)
        assert "␛]0;pwned␇title" in screen_text(app)
        await pilot.press("escape")  # unchanged: the card keeps its text as it was
        await quiet(pilot, 0.1)
        assert card_texts(load(path), "search", "thoughts")[1] == OSC
        await pilot.press("enter", "end")
        await type_text(pilot, "!")
        await pilot.press("escape")
        await wait_saved(pilot, app)
    assert card_texts(load(path), "search", "thoughts")[1] == "␛]0;pwned␇title!"


async def test_prompts_show_escapes_as_symbols_and_keep_an_unchanged_value(tmp_path):
    """s r on a stage named with an escape sequence: the prompt shows ␛ (raw, it would
    retitle or wipe the terminal); Enter with the value unchanged changes nothing."""
    path = literal_map(tmp_path)
    text = path.read_text().replace('name = "Visit the site"', 'name = "Visit\\u001b]2;PWNED\\u0007 site"', 1)
    path.write_text(text)
    before = path.read_bytes()
    async with editor(path, size=(120, 40)) as (app, pilot):
        await goto(pilot, app, "visit", "actions", 0)
        for keys in (("s", "r"), ("s", "q"), ("s", "f"), ("r", "r"), ("t",), ("e", "s")):
            await pilot.press(*keys)
            await pilot.pause()
            segments = [seg for seg in screen_segments(app) if not seg.control]
            assert not any("\x1b" in seg.text or "\x07" in seg.text for seg in segments), keys
            if keys == ("s", "r"):
                assert "Visit␛]2;PWNED␇ site" in screen_text(app)
            await pilot.press("enter")
            await quiet(pilot, 0.1)
        await quiet(pilot, 0.2)
    assert path.read_bytes() == before


async def test_typing_markup_into_a_new_card(tmp_path):
    path = literal_map(tmp_path)
    async with editor(path, size=(120, 40)) as (app, pilot):
        await pilot.press("a")
        await type_text(pilot, "[on red]Z[/]")
        await pilot.press("escape")
        await wait_saved(pilot, app)
        assert "[on red]Z[/]" in screen_text(app)
    assert "[on red]Z[/]" in card_texts(load(path), "search", "actions")


async def test_find_markup_text(tmp_path):
    path = literal_map(tmp_path)
    async with editor(path, size=(120, 40)) as (app, pilot):
        await pilot.press("slash")
        await type_text(pilot, "[link")
        await pilot.press("enter")
        assert app.grid.current() == ("search", "thoughts", 0)


async def test_notifications_show_names_literally(tmp_path):
    """Deleting a stage named with markup says so with the name as typed."""
    path = literal_map(tmp_path)
    async with editor(path, size=(120, 40), notifications=True) as (app, pilot):
        await pilot.press("s", "d")
        await wait_saved(pilot, app)
        await pilot.pause(0.2)
        text = screen_text(app)
        assert "deleted" in text
        assert "[b]Srch[/b]" in text, text
    assert "search" not in [s["id"] for s in load(path)["stages"]]
    assert stage_of(load(path), "visit")["name"] == "Visit the site"


async def test_find_not_found_message_is_literal(tmp_path):
    path = literal_map(tmp_path)
    async with editor(path, size=(120, 40), notifications=True) as (app, pilot):
        await pilot.press("slash")
        await type_text(pilot, "[i]zz")
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert "[i]zz" in screen_text(app)
