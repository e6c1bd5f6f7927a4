"""Commands for the article's framework: ``assess``, ``typology``, ``scorecard``."""

from __future__ import annotations

from typing import Any

import click

from minilat.cli.kit import (
    Col,
    Context,
    as_of_option,
    emit_json,
    json_option,
    out_console,
    parse_as_of,
    pass_ctx,
    plural,
    say,
    table,
    verified_option,
)
from minilat.cli.kit import table as kit_table
from minilat.vocab import label

__all__ = ["COMMANDS"]

_VERDICT = {True: "yes", False: "no", None: "not assessable"}


@click.command()
@click.argument("grouping_id", metavar="ID")
@as_of_option
@verified_option
@json_option
@pass_ctx
def assess(
    c: Context, grouping_id: str, as_of: str | None, verified_only: bool, as_json: bool
) -> None:
    """The four characteristics of a minilateral and its type, with the evidence."""
    from rich.text import Text

    from minilat.analysis import characteristics, typology
    from minilat.web.wording import plain  # the reasons in the page's words

    ds = c.dataset()
    g = ds.grouping(grouping_id)
    day = parse_as_of(as_of)
    result = characteristics.assess(ds, g, day, verified_only=verified_only).to_dict()
    result["typology"] = typology.classify_one(ds, g).to_dict()
    result["sources"] = _sources(ds, result)
    if as_json:
        emit_json(result)
        return
    out_console.print(f"[bold]{result['name']}[/] ({g.id}) as of {result['as_of']}")
    out_console.print(result["verdict"], markup=False)
    table = kit_table(
        "the four characteristics",
        [
            Col("characteristic", "word"),
            Col("value", min=10),
            Col("verdict", "word"),
            Col("why", lines=0, min=24),
        ],
    )
    for key in ("size", "informality", "thematic_focus", "multi_stakeholder"):
        ch = result[key]
        table.add_row(label(key), ch["label"], _VERDICT[ch["verdict"]], plain(ch["reason"]))
    out_console.print(table)
    t = result["typology"]
    say(Text.assemble("type: ", (t["type"], "bold"), f" — {plain(t['reason'])}"))
    if t["agrees"] is False:
        say(
            Text.assemble(
                ("editor disagrees with the rule:", "yellow"),
                f" rule {label(t['rule_type'])}, editor {label(t['editor_type'])} — "
                f"{t['editor_rationale']}",
            )
        )


def _short_type(value: str) -> str:
    """A grouping type in one word, for narrow tables ("economic" for
    economic_supply_chain, "multi" for multidimensional)."""
    return "multi" if value == "multidimensional" else value.split("_")[0]


def _sources(ds: Any, obj: Any) -> dict[str, Any]:
    """Every source id cited anywhere inside ``obj``, resolved to its full record."""
    ids: set[str] = set()

    def walk(x: Any, key: str = "") -> None:
        if isinstance(x, dict):
            for k, v in x.items():
                walk(v, k)
        elif isinstance(x, list | tuple):
            if key in ("sources", "editor_sources"):
                ids.update(s for s in x if isinstance(s, str))
            else:
                for v in x:
                    walk(v, key)

    walk(obj)
    return {i: ds.sources[i].model_dump(mode="json") for i in sorted(ids) if i in ds.sources}


@click.command("typology")
@as_of_option
@click.option(
    "--disagreements",
    "only_disagreements",
    is_flag=True,
    help="Only groupings where an editor's override differs from the rule.",
)
@json_option
@pass_ctx
def typology_cmd(c: Context, as_of: str | None, only_disagreements: bool, as_json: bool) -> None:
    """The type of every grouping founded by the date, with scores and reasons."""

    from minilat.analysis import typology
    from minilat.web.wording import plain  # the reasons in the page's words

    ds = c.dataset()
    day = parse_as_of(as_of)
    results = typology.classify(ds, day)
    rows = [r for r in results.values() if r.agrees is False or not only_disagreements]
    disagreements = typology.disagreements(results)
    counts: dict[str, int] = {}
    for r in results.values():
        if r.type:
            counts[r.type] = counts.get(r.type, 0) + 1
    if as_json:
        emit_json(
            {
                "as_of": day.isoformat(),
                "count": len(rows),
                "by_type": counts,
                "disagreements": [r.grouping for r in disagreements],
                "groupings": [r.to_dict() for r in rows],
            }
        )
        return
    what = "disagreement" if only_disagreements else "grouping"
    t = table(
        f"{plural(len(rows), what)} as of {day.isoformat()}: the rule's type, its scores, and "
        "the editor's type where one is recorded (the type used is the editor's)",
        [
            Col("id", "id"),
            Col("rule", "word"),
            *(Col(h, "num", drop=1) for h in ("sec", "econ", "digital", "multi")),
            Col("editor", "word"),
            Col("used", "word"),
        ],
    )
    for r in sorted(rows, key=lambda r: (r.type or "", r.grouping)):
        s = r.scores
        if r.editor_type is None:
            editor: tuple[str, str] = ("", "")
        else:
            word = "agrees" if r.agrees else "differs"
            editor = (f"{label(r.editor_type)} ({word})", word)  # "used" names the editor's
        rule = r.rule_type or "not assessable"
        t.add_row(
            r.grouping,
            (label(rule), _short_type(rule)),
            *(
                f"{s.get(k, 0):.2f}"
                for k in (
                    "security_defence",
                    "economic_supply_chain",
                    "digital_governance",
                    "multidimensional",
                )
            ),
            editor,
            (label(r.type or "not assessable"), _short_type(r.type or "not assessable")),
        )
    out_console.print(t)
    if disagreements:
        out_console.print(
            f"{plural(len(disagreements), 'disagreement')} between the rule and an editor:"
        )
        for r in disagreements:
            say(
                f"rule {label(r.rule_type)} ({plain(r.reason)}); editor {label(r.editor_type)} "
                f"({r.editor_rationale})",
                f"  {r.grouping}: ",
                hang=4,
            )


@click.command("scorecard")
@click.argument("grouping_id", metavar="ID")
@as_of_option
@json_option
@pass_ctx
def scorecard_cmd(c: Context, grouping_id: str, as_of: str | None, as_json: bool) -> None:
    """The article's five policy implications scored, with evidence and gaps."""

    from minilat.analysis import scorecard
    from minilat.web.wording import plain  # the reasons in the page's words

    ds = c.dataset()
    g = ds.grouping(grouping_id)
    card = scorecard.score(ds, g, parse_as_of(as_of)).to_dict()
    card["sources"] = _sources(ds, card)
    if as_json:
        emit_json(card)
        return
    out_console.print(f"[bold]{card['name']}[/] ({g.id}) as of {card['as_of']}")
    table = kit_table(
        "the five policy implications",
        [
            Col("indicator", lines=3),
            Col("score", "num"),
            Col("label", "word"),
            Col("why", lines=0, min=24),
        ],
    )
    for ind in card["indicators"]:
        shown = "—" if ind["score"] is None else f"{ind['score']:.2f}"
        table.add_row(ind["title"], shown, ind["label"], plain(ind["reason"]))
    out_console.print(table)
    say(plain(card["summary"]))


COMMANDS = [assess, typology_cmd, scorecard_cmd]
