"""Docs that cannot drift: the documented parameters and theme tables are the code's."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path
from typing import Any

from minilat.analysis import typology
from minilat.analysis.characteristics import DOMAIN_OF_THEME, RULES
from minilat.analysis.life import LIFE_RULES
from minilat.analysis.scorecard import SCORE_RULES
from minilat.model import Theme

DOCS = Path(__file__).parent.parent / "docs"


def _flat(prefix: str, obj: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for f in fields(obj):
        v = getattr(obj, f.name)
        if isinstance(v, tuple) and v and isinstance(v[0], tuple) and len(v[0]) == 2:
            out.update({f"{prefix}.{f.name}.{k}": str(x) for k, x in v})
        elif isinstance(v, tuple) and v and isinstance(v[0], tuple):
            out.update({f"{prefix}.{f.name}[{i}]": ", ".join(map(str, r)) for i, r in enumerate(v)})
        elif isinstance(v, tuple):
            out[f"{prefix}.{f.name}"] = ", ".join(v)
        else:
            out[f"{prefix}.{f.name}"] = str(v)
    return out


def test_methodology_parameters_match_the_code() -> None:
    text = (DOCS / "methodology.md").read_text()
    documented = dict(re.findall(r"^\| `([\w.\[\]]+)` \| ([^|]+?) \|$", text, re.M))
    code = _flat("characteristics", RULES) | _flat("scorecard", SCORE_RULES)
    code |= _flat("life", LIFE_RULES)
    code |= {
        f"typology.{n}": str(getattr(typology, n))
        for n in ("POSITION_DECAY", "MAJORITY", "LEAN", "MULTI_LEAN")
    }
    assert documented == code


def test_methodology_theme_table_matches_the_code() -> None:
    text = (DOCS / "methodology.md").read_text()
    rows = re.findall(
        r"^\| (\w+) \| (\w+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \|$", text, re.M
    )
    table = {r[0]: (r[1], tuple(float(x) for x in r[2:])) for r in rows}
    assert set(table) == {t.value for t in Theme}
    for t in Theme:
        domain, spread = table[t.value]
        assert domain == DOMAIN_OF_THEME[t]
        expected = tuple(round(typology.THEME_AREAS[t].get(a, 0.0), 2) for a in typology.AREAS)
        assert spread == expected, t


def test_data_doc_lists_every_theme() -> None:
    text = (DOCS / "data.md").read_text()
    listed = set(re.findall(r"^\| (\w+) \| [^|]+ \|$", text, re.M))
    assert {t.value for t in Theme} <= listed


def test_cli_reference_is_current() -> None:
    """docs/cli.md's reference is generated from the code: `make docs` after a change."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "cli_reference", Path(__file__).parent.parent / "scripts" / "cli_reference.py"
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    text = (DOCS / "cli.md").read_text()
    assert mod.updated(text) == text, "docs/cli.md is out of date: run `make docs`"


def test_every_command_and_setting_is_documented() -> None:
    import click

    from minilat import settings
    from minilat.cli import cli

    text = (DOCS / "cli.md").read_text()
    ctx = click.Context(cli)
    for name in cli.list_commands(ctx):
        assert f"### `minilat {name}`" in text, name
    for s in settings.SETTINGS:
        assert f"`{s.env}`" in text, s.env
