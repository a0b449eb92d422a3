"""`cjm check FILE...`: lint maps for journey-mapping pitfalls.

Fast on purpose (it runs in pre-commit hooks and CI): it imports tomllib, the
model and the store's schema only; never tomlkit, Rich or Textual.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from ..formats import visible

DESCRIPTION = """\
Lint journey maps against the pitfalls the journey-mapping literature warns
about: no persona, no business goal, a stage without an emotion score, pain
points with no opportunity, empty stages, company-side goals, duplicated
cards, unresolved merge conflicts, and more (`cjm check --rules` lists them).

Rules can be switched off in the map itself:

    [check]
    disable = ["no-timescale"]

or for every map under a folder, in a `.cjm-check.toml` found upward from the
map (the nearest one wins; the search stops at the repository root):

    disable = ["opportunity-no-owner"]
    [severity]
    stage-no-emotion = "error"
"""

EPILOG = """\
exit codes: 0 no error-level findings; 1 an error-level rule fired;
2 a file could not be read or is not a valid map (the others are still checked).
See docs/check.md for every rule."""

CONFIG_NAME = ".cjm-check.toml"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="*", metavar="FILE", help="map files (*.cjm.toml)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.add_argument("--disable", action="append", default=[], metavar="RULE",
                   help="switch a rule off (repeatable; also comma-separated)")
    p.add_argument("--severity", choices=("error", "warning", "info"), default="info",
                   help="report findings at this level and above (default: info, i.e. everything)")
    p.add_argument("--config", metavar="PATH", help=f"use this config file instead of searching for {CONFIG_NAME}")
    p.add_argument("--no-config", action="store_true", help=f"ignore {CONFIG_NAME} files")
    p.add_argument("--rules", action="store_true", help="list the rules and exit")


# -- places to line numbers ----------------------------------------------------------

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\"'-]+)\s*\]")
_KEY = re.compile(r"^\s*[\"']?([A-Za-z0-9_-]+)[\"']?\s*=\s*(.*)$")


class Lines:
    """Place -> line, from one pass over the file (``errors.locate`` per finding
    is quadratic on a 10,000-card map). Falls back to ``locate`` for the rest."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.index: dict[tuple, int] = {}
        counts: dict[str, int] = {}
        table: tuple = ()
        array_key: tuple | None = None
        item = 0
        for n, line in enumerate(text.splitlines(), 1):
            stripped = line.strip()
            if array_key is not None:
                if not stripped or stripped.startswith("#"):
                    continue
                if stripped.startswith("]"):
                    array_key = None
                    continue
                self.index.setdefault(array_key + (item,), n)
                item += 1
                continue
            m = _HEADER.match(line)
            if m:
                name = m.group(2)
                if m.group(1) == "[[":
                    i = counts.get(name, 0)
                    counts[name] = i + 1
                    table = (name, i)
                else:
                    table = (name,)
                self.index.setdefault(table, n)
                continue
            m = _KEY.match(line)
            if m:
                key = table + (m.group(1),)
                self.index.setdefault(key, n)
                rest = m.group(2).split("#", 1)[0].strip() if '"' not in m.group(2) else m.group(2).strip()
                if rest == "[":
                    array_key, item = key, 0

    def line(self, place: tuple) -> int | None:
        if not place:
            return None
        if place in self.index:
            return self.index[place]
        # the nearest enclosing place that is in the file
        for k in range(len(place) - 1, 0, -1):
            if place[:k] in self.index:
                return self.index[place[:k]]
        from ..store.errors import locate

        return locate(self.text, place)


# -- configuration -------------------------------------------------------------------


def _find_config(start: Path) -> Path | None:
    folder = start.resolve().parent
    for d in (folder, *folder.parents):
        candidate = d / CONFIG_NAME
        if candidate.is_file():
            return candidate
        if (d / ".git").exists():
            return None
    return None


def _settings(data: object, where: str) -> tuple[list[str], dict[str, str]]:
    """(disabled rules, severity overrides) from a config table; MapError when malformed."""
    from ..model.lint import RULES, SEVERITIES
    from ..store.errors import MapError

    if not isinstance(data, dict):
        raise MapError(f"{where} should be a table")
    disable = data.get("disable", [])
    if isinstance(disable, str):
        disable = [disable]
    if not isinstance(disable, list) or not all(isinstance(x, str) for x in disable):
        raise MapError(f"{where}.disable should be an array of rule ids")
    severity = data.get("severity", {})
    if not isinstance(severity, dict):
        raise MapError(f"{where}.severity should be a table of rule = \"error\" | \"warning\" | \"info\"")
    for rule_id, level in severity.items():
        if level not in SEVERITIES:
            raise MapError(f"{where}.severity.{rule_id}: {level!r} is not one of error, warning, info")
    unknown = [r for r in list(disable) + list(severity) if r not in RULES and r != "all"]
    if unknown:
        raise MapError(f"{where}: unknown rule {', '.join(map(repr, unknown))} (see `cjm check --rules`)")
    return list(disable), dict(severity)


def _load_config(path: Path) -> tuple[list[str], dict[str, str]]:
    import tomllib

    from ..store.errors import MapError

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise MapError(f"cannot read config: {exc.strerror or exc}", path) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise MapError(f"config is not valid TOML: {exc}", path) from None
    try:
        return _settings(data, "config")
    except MapError as exc:
        exc.path = str(path)
        raise


# -- checking one file ---------------------------------------------------------------


def check_file(path: str, args: argparse.Namespace, config_cache: dict) -> dict:
    """Findings for one file as plain data: {path, findings: [...]} or {path, error}."""
    import tomllib

    from ..model.lint import RULES, at_least, lint
    from ..store.errors import MapError
    from ..store.files import loads_fast, read_text
    from ..store.schema import map_from_data

    try:
        text = read_text(path)
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            loads_fast(text, path)  # raises the MapError that names the line
            raise
        try:
            m = map_from_data(data)
        except MapError as exc:
            raise exc.with_location(path, text) from None
        disabled: set[str] = set()
        severity: dict[str, str] = {}
        if args.config:
            config = Path(args.config)
        elif args.no_config:
            config = None
        else:
            config = _find_config(Path(path))
        if config is not None:
            key = str(config)
            if key not in config_cache:
                config_cache[key] = _load_config(config)
            d, s = config_cache[key]
            disabled.update(d)
            severity.update(s)
        if "check" in data:
            try:
                d, s = _settings(data["check"], "[check]")
            except MapError as exc:
                exc.path = path
                exc.line = Lines(text).line(("check",))
                raise
            disabled.update(d)
            severity.update(s)
        disabled.update(args.disable_set)
    except MapError as exc:
        return {"path": path, "line": exc.line, "error": exc.message}
    if "all" in disabled:
        disabled = set(RULES)
    lines = Lines(text)
    findings = []
    for f in lint(m, disabled, severity):
        if not at_least(f.severity, args.severity):
            continue
        findings.append({
            "path": path,
            "line": lines.line(f.place) or 1,
            "rule": f.rule,
            "severity": f.severity,
            "message": f.message,
            "place": list(f.place),
        })
    findings.sort(key=lambda f: f["line"])  # stable: rules keep their order on a line
    return {"path": path, "findings": findings}


def _list_rules() -> int:
    from ..model.lint import RULES

    width = max(len(r) for r in RULES)
    for r in RULES.values():
        print(f"{r.id:<{width}}  {r.severity:<7}  {r.summary}")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.rules:
        return _list_rules()
    if not args.files:
        print("cjm check: give one or more map files (*.cjm.toml)", file=sys.stderr)
        return 2
    from ..model.lint import RULES

    disable: set[str] = set()
    for item in args.disable:
        disable.update(x.strip() for x in item.split(",") if x.strip())
    unknown = sorted(disable - set(RULES) - {"all"})
    if unknown:
        print(f"cjm check: unknown rule {', '.join(unknown)} (see `cjm check --rules`)", file=sys.stderr)
        return 2
    args.disable_set = disable

    cache: dict = {}
    results = [check_file(path, args, cache) for path in args.files]
    counts = {"error": 0, "warning": 0, "info": 0}
    bad = 0
    for r in results:
        if "error" in r:
            bad += 1
        for f in r.get("findings", ()):
            counts[f["severity"]] += 1

    if args.format == "json":
        import json

        out = {
            "version": 1,
            "findings": [f for r in results for f in r.get("findings", ())],
            "errors": [
                {"path": r["path"], "line": r["line"], "message": r["error"]} for r in results if "error" in r
            ],
            "summary": {"files": len(results), "unreadable": bad, **counts},
        }
        text = json.dumps(out, ensure_ascii=False, indent=2)
        # json escapes C0 controls but not DEL and C1 (U+009B is CSI to some terminals)
        sys.stdout.write(re.sub("[\x7f-\x9f]", lambda m: "\\u%04x" % ord(m.group()), text))
        sys.stdout.write("\n")
    else:
        write = sys.stdout.write
        for r in results:
            if "error" in r:
                where = r["path"] + (f":{r['line']}" if r["line"] else "")
                print(visible(f"cjm: {where}: {r['error']}"), file=sys.stderr)
                continue
            for f in r["findings"]:
                # a message quotes card and stage text: its control characters never reach the terminal raw
                write(visible(f"{f['path']}:{f['line']}: {f['severity']}[{f['rule']}] {f['message']}") + "\n")
        parts = [f"{n} {level}{'' if n == 1 else 's'}" for level, n in counts.items()]
        checked = len(results) - bad  # a file that could not be read was not checked
        if checked:
            summary = f"{checked} file{'' if checked == 1 else 's'} checked: " + ", ".join(parts)
            if bad:
                summary += f"; {bad} could not be read"
        else:
            summary = f"no file checked: {bad} could not be read"
        write(summary + "\n")
    if bad:
        return 2
    return 1 if counts["error"] else 0
