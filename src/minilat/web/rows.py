"""The rows of the site's longest tables, written in Python rather than in a template.

A page's cost is its hottest loop: the groupings table has a row per grouping, each with
a dozen values, and Jinja2 spends about 25 µs a row on look-ups, filters and generator
steps. The same markup built here, every value escaped exactly as the templates escape
it (:func:`~minilat.web.escaping.escape_text`), takes a few microseconds a row. Each
function takes the rows of a view's result dict as they are served in the JSON and
returns :class:`~markupsafe.Markup`, used in a template as
``{{ grouping_rows(d.groupings) }}``.

>>> row = {"id": "quad", "name": "Quad <&>", "acronyms": ["Q"], "founded": "2007",
...        "ended": None, "status": "active", "life": "active", "full_members": 4,
...        "other_participants": 0, "type": None, "themes": ["critical_technologies"]}
>>> print(grouping_rows([row]))  # doctest: +NORMALIZE_WHITESPACE
    <tr><th scope="row"><a href="/groupings/quad">Quad &lt;&amp;&gt;</a> <span
    class="muted">(Q)</span></th>
      <td class="date">2007</td>
      <td><span class="status status-active">active</span></td>
      <td class="num">4</td>
      <td class="num">0</td>
      <td>—</td>
      <td><a class="tag" href="/groupings?theme=critical_technologies">critical
    technologies</a> </td></tr>
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from markupsafe import Markup

from minilat.analysis.groupings import members_cell
from minilat.vocab import label  # the templates' ``label``, the same words as the CLI's
from minilat.web.escaping import escape_text as escape

__all__ = ["grouping_rows", "label", "members_html"]


@lru_cache(maxsize=512)
def _tag(theme: str) -> str:
    """A theme's link (themes are a closed vocabulary: each is written once)."""
    return f'<a class="tag" href="/groupings?theme={escape(theme)}">{escape(label(theme))}</a> '


@lru_cache(maxsize=512)
def _status(status: str) -> str:
    """A status's badge (a closed vocabulary, like themes)."""
    return f'<span class="status status-{escape(status)}">{escape(label(status))}</span>'


def _members_html(g: Mapping[str, Any]) -> str:
    named = g.get("named_of_published")
    if not named:
        return escape(g["full_members"])
    parts = " ".join(members_cell(g, partners=False)[1:])
    return (
        '<span title="named in the record, of the published head-count">'
        f"{escape(named)}</span>"
        + (f' <small class="muted">{escape(parts)}</small>' if parts else "")
    )


def members_html(g: Mapping[str, Any]) -> Markup:
    """A summary row's members cell as every table of the site shows it: the full
    members, or "N of M" where the record names only some of them (with its parts where
    N counts every role), as in the listing (:func:`grouping_rows`), the CLI and the API.
    A country's page showed 27 for the Christchurch Call (every named participant, the
    companies too) where the listing says 18 of 55 (member states)."""
    return Markup(_members_html(g))


def grouping_rows(rows: Iterable[Mapping[str, Any]]) -> Markup:
    """The ``<tr>`` of each grouping in the groupings table (``groupings.html``)."""
    out = []
    for g in rows:
        gid = escape(g["id"])
        acronyms = g["acronyms"]
        name = f'<a href="/groupings/{gid}">{escape(g["name"])}</a>' + (
            f' <span class="muted">({escape(", ".join(acronyms))})</span>' if acronyms else ""
        )
        founded = escape(g["founded"]) + (f"–{escape(g['ended'])}" if g["ended"] else "")
        status, life = g["status"], g["life"]
        life_label = g.get("life_label") or life
        state = _status(status)
        if life and life_label != status:
            state += (
                f' <a class="life life-{escape(life)}" href="/pulse#life-{gid}"'
                f' title="derived from its recorded activity">{escape(label(life_label))}</a>'
            )
        kind = escape(label(g["type"])) if g["type"] else "—"
        # the record names only some of its members: "N of M", like with like (OF_NOTE);
        # where N counts every role, its parts beside it ("= 8 + 7 partners"), never the
        # partners column added to it (members_cell, as the CLI and API say it)
        members = _members_html(g)
        themes = "".join(_tag(t) for t in g["themes"])
        # with a member chosen: its own role and dates (groupings?member=)
        role = f"<td>{escape(g['member_role']['text'])}</td>" if "member_role" in g else ""
        out.append(
            f'    <tr><th scope="row">{name}</th>\n'
            f'      <td class="date">{founded}</td>\n'
            f"      <td>{state}</td>\n"
            f'      <td class="num">{members}</td>\n'
            f'      <td class="num">{escape(g["other_participants"])}</td>\n'
            f"      <td>{kind}</td>\n"
            f"      <td>{themes}</td>{role}</tr>\n"
        )
    return Markup("".join(out))
