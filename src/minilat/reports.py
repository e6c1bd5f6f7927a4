"""Generated case-study reports: a country's place in tech minilateralism, from the data.

:func:`country_report` gathers one country's profile (memberships, type mix, partners,
network position, hedging), the characteristics, type and scorecard of each grouping it
sits in, and a check of the article's narrative about it, into a :class:`Report`.
:func:`render_markdown` and :func:`render_html` turn it into a document in which every
fact is footnoted to its source. This is a face, like the CLI: it calls the analyses and
renders; it computes nothing of its own.
"""

from __future__ import annotations

import datetime as _dt
import html
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from minilat import __version__
from minilat.analysis import characteristics, countries, scorecard, typology
from minilat.analysis import groupings as _groupings
from minilat.dataset import Dataset

__all__ = ["ARTICLE_CLAIMS", "Claim", "Report", "country_report", "render_html", "render_markdown"]

ARTICLE = (
    "Tech Minilateralism: A New Frontier in Global Governance (StateUp, after T. Filer, "
    "Global Policy)"
)


@dataclass(frozen=True)
class Claim:
    """Something the article says about a country, in a form the data can check."""

    kind: str  # member | members_are | alignment | specialises_in | plan_with_timelines_and_budgets
    target: str
    quote: str
    expected: tuple[str, ...] = ()  # for members_are: the members the article names


_IND_Q1 = "Alliances include the Quad and the Trilateral Technology Dialogue (TTD)."
_IND_Q2 = (
    "India's approach to tech minilateralism … balances engagement with both the US and "
    "China while maintaining strategic autonomy."
)
_GBR_Q1 = (
    "The UK has been a key player in several prominent tech minilateral alliances, "
    "including AUKUS and GCAP."
)
_GBR_Q2 = (
    "These alliances are aligned with the UK's strategic interests in enhancing its "
    "military capabilities."
)
_GBR_Q3 = (
    "The AUKUS alliance, for example, is underpinned by a comprehensive plan with defined "
    "timelines and budgets."
)
_I2U2_Q = (
    "Many other minilaterals have a broader scope that includes an important technology "
    "component, such as the G7 or I2U2 (Israel, India, the US, and the UK)."
)
_I2U2 = Claim("members_are", "i2u2", _I2U2_Q, ("ISR", "IND", "USA", "GBR"))
_EST_Q1 = (
    "Estonia … has played a significant role in tech minilateral initiatives such as the "
    "Digital Nations and the Three Seas Initiative."
)
_EST_Q2 = "Estonia, a leader in digital governance … technocratic, expert-driven formats."

#: The article's narratives about its three case-study countries, as checkable claims.
ARTICLE_CLAIMS: dict[str, tuple[Claim, ...]] = {
    "IND": (
        Claim("member", "quad", _IND_Q1),
        Claim("member", "ttd", _IND_Q1),
        Claim("alignment", "hedger", _IND_Q2),
        _I2U2,
    ),
    "GBR": (
        Claim("member", "aukus", _GBR_Q1),
        Claim("member", "gcap", _GBR_Q1),
        Claim("specialises_in", "security_defence", _GBR_Q2),
        Claim("plan_with_timelines_and_budgets", "aukus", _GBR_Q3),
        _I2U2,
    ),
    "EST": (
        Claim("member", "digital_nations", _EST_Q1),
        Claim("member", "three_seas", _EST_Q1),
        Claim("specialises_in", "digital_governance", _EST_Q2),
    ),
}


#: Formats closed to most countries by design, named in the report's "How to read this"
#: under the class the analysis gives each on the report's date (never a class assumed).
CLOSED_BY_DESIGN = ("five_eyes", "aukus", "china_central_asia")


@dataclass
class Report:
    """Everything a country report shows, as plain data (rendered by the functions below)."""

    country: dict[str, Any]
    as_of: str
    profile: dict[str, Any]
    groupings: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    types: dict[str, str]
    sources: dict[str, dict[str, Any]]
    #: anchor class -> names of the :data:`CLOSED_BY_DESIGN` formats in it on the date
    closed_formats: dict[str, list[str]] = field(default_factory=dict)
    generated: str = field(default_factory=lambda: f"minilat {__version__}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "as_of": self.as_of,
            "profile": self.profile,
            "groupings": self.groupings,
            "article_claims": self.claims,
            "types": self.types,
            "sources": self.sources,
            "closed_formats": self.closed_formats,
            "generated": self.generated,
        }


def _check(
    claim: Claim, ds: Dataset, code: str, day: _dt.date, prof: dict[str, Any]
) -> dict[str, Any]:
    current = {c["grouping"]: c["role"] for c in prof["current"]}
    out: dict[str, Any] = {"claim": claim.kind, "target": claim.target, "quote": claim.quote}
    if claim.kind == "member":
        g = ds.grouping(claim.target)
        role = current.get(g.id)
        out["agrees"] = role is not None
        out["finding"] = (
            f"{code} takes part in {g.name} as {role.replace('_', ' ')} on {day.isoformat()}"
            if role
            else f"{code} is not a participant of {g.name} on {day.isoformat()}"
        )
        out["sources"] = sorted(
            {s for m in g.memberships if m.participant == code for s in m.sources}
        )
        partial = {r["grouping"]: r for r in prof["incomplete_lists"]}.get(g.id)
        if role is None and partial is not None:  # not listed is not the same as not in
            out["caveat"] = (
                f"its member list is incomplete in the record ({partial['named_of_published']}"
                f" named), so it may include {code}"
            )
        size = characteristics.assess(ds, g, day).size
        if role is not None and size.verdict is False:
            out["caveat"] = (
                f"by the article's own size criterion {g.name} is {size.label}, not a "
                f"minilateral ({size.value} member states on {day.isoformat()})"
            )
    elif claim.kind == "members_are":
        g = ds.grouping(claim.target)
        actual = {m.participant for m in g.members_on(day) if m.full}
        expected = set(claim.expected)
        out["agrees"] = actual == expected
        missing, extra = sorted(expected - actual), sorted(actual - expected)
        out["finding"] = f"{g.name}'s full members on {day.isoformat()} are " + ", ".join(
            sorted(actual)
        )
        if missing or extra:
            out["finding"] += (
                f"; the article names {', '.join(missing) or 'no one'} who "
                f"{'is' if len(missing) == 1 else 'are'} not a member, and omits "
                f"{', '.join(extra) or 'no one'}"
            )
        out["sources"] = sorted({s for m in g.memberships for s in m.sources})
    elif claim.kind == "alignment":
        a = prof["alignment"]
        out["agrees"] = a["label"] == claim.target
        out["finding"] = (
            f"the data reads {code} as '{a['label']}': it takes part in {a['us_anchored']} "
            f"US-anchored and {a['china_anchored']} China-anchored formats (hedging index "
            f"{_num(a['hedging_index'])})"
        )
        out["sources"] = []
    elif claim.kind == "specialises_in":
        lqs = {r["category"]: r for r in (prof["specialisation"]["types"] or [])}
        row = lqs.get(claim.target)
        lq = row["lq"] if row else 0.0
        out["agrees"] = lq > 1
        out["finding"] = (
            f"{typology.label(claim.target)} formats are {row['share']:.0%} of {code}'s "
            f"memberships against {row['all_share']:.0%} for all states (location quotient "
            f"{lq:.2f})"
            if row
            else f"{code} takes part in no {typology.label(claim.target)} format"
        )
        ranked = prof["specialisation"]["types"] or []
        if row and ranked and ranked[0]["category"] != claim.target:
            top = ranked[0]
            out["caveat"] = (
                f"its strongest over-weighting is {typology.label(top['category'])} "
                f"(quotient {top['lq']:.2f})"
            )
        out["sources"] = []
    elif claim.kind == "plan_with_timelines_and_budgets":
        g = ds.grouping(claim.target)
        timed = [o for o in g.objectives if o.timeline]
        costed = [o for o in g.objectives if o.budget]
        out["agrees"] = bool(timed) and bool(costed)
        out["finding"] = (
            f"{g.name} has {len(g.objectives)} published objectives, {len(timed)} with a "
            f"timeline and {len(costed)} with a budget"
        )
        out["sources"] = sorted({s for o in (*timed, *costed) for s in o.sources})
    else:  # pragma: no cover - a new kind must be added above
        raise ValueError(claim.kind)
    return out


def _num(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.2f}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word if n == 1 else word + 's'}"


def _closed_formats(closed: dict[str, list[str]]) -> str:
    """``; some formats are closed to most countries by design (US-anchored: …)``, each
    named under the class the analysis gives it (``""`` when none is on either side)."""
    sides = [
        f"{title}: {', '.join(closed[key])}"
        for key, title in (("us_anchored", "US-anchored"), ("china_anchored", "China-anchored"))
        if closed.get(key)
    ]
    if not sides:
        return ""
    return f"; some formats are closed to most countries by design ({'; '.join(sides)})"


def country_report(ds: Dataset, code: str, as_of: _dt.date) -> Report:
    """The case study of ``code`` on ``as_of``; NotFound for an unknown code."""
    types = {gid: r.type for gid, r in typology.classify(ds, as_of).items() if r.type}
    prof = countries.profile(ds, code, as_of, types=types)
    rows = []
    for c in prof["current"]:
        g = ds.grouping(c["grouping"])
        a = characteristics.assess(ds, g, as_of)
        card = scorecard.score(ds, g, as_of)
        t = typology.classify_one(ds, g)
        rows.append(
            {
                "id": g.id,
                "name": c["name"],
                "role": c["role"],
                "type": t.type,
                "type_reason": t.reason,
                "is_minilateral": a.is_minilateral,
                "verdict": a.verdict,
                "size": a.size.value,
                "informality": a.informality.label,
                "scorecard": {i.name: i.score for i in card.indicators},
                "scorecard_summary": card.summary,
                "overall": card.overall,
                "sources": sorted(
                    {s for e in a.size.evidence for s in e.sources if e.fact.endswith(code)}
                    | set(g.themes.sources)
                ),
            }
        )
    rows.sort(key=lambda r: (r["type"] or "", r["name"]))
    claims = [_check(cl, ds, code, as_of, prof) for cl in ARTICLE_CLAIMS.get(code, ())]
    cited: set[str] = {s for m in prof["memberships"] for s in m["sources"]}
    cited |= {s for r in rows for s in r["sources"]}
    cited |= {s for c in claims for s in c["sources"]}
    sources = {s: ds.sources[s].model_dump(mode="json") for s in sorted(cited) if s in ds.sources}
    closed: dict[str, list[str]] = {}
    for gid in CLOSED_BY_DESIGN:
        shut = ds.groupings.get(gid)
        if shut is not None and shut.active_on(as_of):
            closed.setdefault(_groupings.anchor_class(shut, as_of, ds=ds), []).append(
                shut.name_on(as_of)
            )
    return Report(prof["country"], as_of.isoformat(), prof, rows, claims, types, sources, closed)


# ---------------------------------------------------------------------------- rendering


def memberships_chart(report: Report) -> str:
    """An SVG timeline of the country's membership spells, coloured by type."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    colours = {
        "security_defence": "#b2182b",
        "economic_supply_chain": "#ef8a62",
        "digital_governance": "#2166ac",
        "multidimensional": "#5aae61",
    }
    spells = [
        m for m in report.profile["memberships"] if m["role"] not in ("suspended", "withdrawn")
    ]
    names = sorted(  # by first start, then id: groupings joined the same day keep one order
        {m["grouping"] for m in spells},
        key=lambda g: (min(m["start"] for m in spells if m["grouping"] == g), g),
    )
    end_year = int(report.as_of[:4]) + 1
    fig, ax = plt.subplots(figsize=(8, 0.28 * len(names) + 1.2), dpi=100)
    for i, gid in enumerate(names):
        for m in (m for m in spells if m["grouping"] == gid):
            start = (
                int(m["start"][:4]) + (int(m["start"][5:7]) - 1) / 12
                if len(m["start"]) > 4
                else int(m["start"])
            )
            end = (
                end_year
                if m["end"] is None
                else int(m["end"][:4]) + ((int(m["end"][5:7]) - 1) / 12 if len(m["end"]) > 4 else 0)
            )
            ax.barh(
                i,
                end - start,
                left=start,
                height=0.7,
                color=colours.get(report.types.get(gid, ""), "#999999"),
                alpha=1.0 if m["role"] in ("founding_member", "member") else 0.45,
            )
    left = 1975  # the dataset's period; older spells are clipped and labelled
    labels = []
    for gid in names:
        first = min(int(m["start"][:4]) for m in spells if m["grouping"] == gid)
        labels.append(f"{gid} (since {first})" if first < left else gid)
    ax.set_xlim(left, end_year)
    ax.set_yticks(range(len(names)), labels, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("year")
    ax.set_title(
        f"{report.country['name']}: memberships over time (pale: partner, observer)", fontsize=9
    )
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colours.values()]
    ax.legend(handles, [typology.label(t) for t in colours], fontsize=6, loc="lower left")
    fig.tight_layout()
    buf = io.StringIO()
    # no date and a fixed salt for the clip paths' ids: the same report is the same bytes
    # (the timeline's charts do the same), so a regenerated case study differs only where
    # the data does
    with matplotlib.rc_context({"svg.hashsalt": "minilat"}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    plt.close(fig)
    return buf.getvalue()


def _notes(report: Report) -> Callable[[list[str]], str]:
    order: dict[str, int] = {}

    def cite(ids: list[str]) -> str:
        refs = []
        for s in ids:
            if s not in report.sources:
                continue
            order.setdefault(s, len(order) + 1)
            refs.append(f"[^{order[s]}]")
        return "".join(refs)

    cite.order = order  # type: ignore[attr-defined]
    return cite


def render_markdown(report: Report, chart_path: str | None = None) -> str:
    """The report as Markdown with footnotes (``[^n]``) to every source."""
    r, p = report, report.profile
    cite = _notes(report)
    name = r.country["name"]
    a = p["alignment"]
    lines = [
        f"# {name} in tech minilateralism",
        "",
        f"*A minilat case study, as of {r.as_of}. Generated by {r.generated} from the "
        "bundled dataset: every fact below is footnoted to the source it was checked "
        "against; regenerate with "
        f"`minilat report country {r.country['id']} --as-of {r.as_of} --format md`.*",
        "",
        "## Summary",
        "",
        f"On {r.as_of} {name} takes part in **{len(p['current'])}** of the groupings minilat "
        f"tracks ({sum(1 for g in r.groupings if g['is_minilateral'])} of them minilaterals "
        "by size). "
        + (
            f"Across the formats anchored by one great power, it reads as **{a['label']}**: "
            f"{a['us_anchored']} US-anchored and {a['china_anchored']} China-anchored formats "
            f"(hedging index {_num(a['hedging_index'])}, lean {_num(a['lean'])}; 1 is an even "
            "spread, -1/+1 a lean wholly to China/the US)."
            if a["label"] not in ("anchor",)
            else "It is one of the two anchor powers of the hedging measure."
        ),
    ]
    maybe = p["incomplete_lists"]
    if maybe:  # the count above is of the groupings that list it; these may hold it too
        lines += [
            "",
            f"Not counted: {_plural(len(maybe), 'grouping')} whose member lists are incomplete "
            f"in the record (named of published) may also include {name}: "
            + ", ".join(f"{g['name']} ({g['named_of_published']})" for g in maybe)
            + ".",
        ]
    if p["network"]:
        n = p["network"]
        lines += [
            "",
            f"In the co-membership network it ranks **{n['rank']['strength']}** of {n['of']} "
            f"states by strength and {n['rank']['betweenness']} by betweenness. (Strength "
            "sums its ties to other states, each grouping weighted 1/(members − 1) so that "
            "near-universal bodies such as the UN count for little; it still grows with the "
            "number of groupings a country joins. Betweenness measures how often it lies on "
            "the shortest paths between other states: a bridge. See docs/network.md.)",
        ]
    if r.claims:
        lines += ["", "## The article's narrative, checked against the data", ""]
        lines += [f"The article ({ARTICLE}) says:", ""]
        last_quote = None
        for c in r.claims:
            mark = "The data agrees" if c["agrees"] else "**The data disagrees**"
            if c["quote"] != last_quote:
                lines += [f"> {c['quote']}", ""]
                last_quote = c["quote"]
            caveat = f" But {c['caveat']}." if c.get("caveat") else ""
            if c.get("caveat") and c["agrees"]:
                mark = "The data agrees, with a caveat"
            lines += [f"{mark}: {c['finding']}.{cite(c['sources'])}{caveat}", ""]
    lines += ["", "## Memberships over time", ""]
    if chart_path:
        lines += [f"![{name}: memberships over time]({chart_path})", ""]
    lines += ["| grouping | role | from | to |", "|---|---|---|---|"]
    for m in p["memberships"]:
        flag = " (unverified)" if not m["verified"] else ""
        lines.append(
            f"| {m['name']} | {m['role'].replace('_', ' ')}{flag} | {m['start']} | "
            f"{m['end'] or '—'}{cite(m['sources'])} |"
        )
    lines += ["", "## Type mix and specialisation", ""]
    if p["type_mix"]:
        lines += ["| type | groupings |", "|---|---|"]
        lines += [
            f"| {typology.label(t) if t in r.types.values() else t} | {n} |"
            for t, n in p["type_mix"].items()
        ]
    spec = p["specialisation"]["types"] or []
    if spec:
        top = spec[0]
        lines += [
            "",
            f"Its strongest over-weighting is **{typology.label(top['category'])}** "
            f"(quotient {top['lq']:.2f}).",
        ]
        lines += ["", "Location quotients against all states (above 1: over-weighted):", ""]
        lines += [
            "| type | share of memberships | share for all states | quotient |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {typology.label(s['category'])} | {s['share']:.0%} | {s['all_share']:.0%} | "
            f"{s['lq']:.2f} |"
            for s in spec
        ]
    lines += [
        "",
        "## Closest partners",
        "",
        f"It shares groupings with {p['partner_count']} states, {p['partners_rule']['text']}; "
        f"the closest below, {p['partners_rule']['order']}.",
        "",
        "| partner | shared groupings |",
        "|---|---|",
    ]
    lines += [f"| {q['name']} ({q['id']}) | {q['shared']} |" for q in p["partners"]]
    lines += ["", "## Hedging between blocs", ""]
    # the groupings by name, as the memberships table names them (ids in the JSON)
    names = {c["grouping"]: c["name"] for c in p["current"]}
    for key, title in (
        ("us_anchored", "US-anchored"),
        ("china_anchored", "China-anchored"),
        ("both", "with both"),
        ("neither", "with neither"),
        ("unknown", "with the leading side unknown (member list incomplete)"),
    ):
        gs = a["groupings"][key]
        shown = "; ".join(names.get(g["grouping"], g["grouping"]) for g in gs)  # names hold commas
        lines.append(f"* {title}: {shown or 'none'}")
    lines += [
        "",
        "How to read this. A format is *US-anchored* when the United States is a full "
        "member and China is not, and *China-anchored* in the mirror case; this says who "
        "sits at the table, not who leads. A format whose member list is incomplete in "
        "the record (fewer members named than published) is *unknown*, its leading side "
        "not known, unless both anchors are named; it counts in neither bloc. Every "
        "active role counts as taking part, partner and observer included. The hedging "
        "index compares participation *rates* "
        f"(the country's share of the {a['available']['us_anchored']} US-anchored and of the "
        f"{a['available']['china_anchored']} China-anchored formats active on the date), "
        "because the dataset holds many more of the former"
        + _closed_formats(r.closed_formats)
        + ". A hedger joins the less-favoured side's formats at a third or more of "
        "the rate of the favoured side's (docs/network.md).",
        "",
        "## Its groupings: characteristics, type and scorecard",
        "",
        "| grouping | role | type | states | minilateral | informality | scorecard |",
        "|---|---|---|---|---|---|---|",
    ]
    for g in r.groupings:
        mini = {True: "yes", False: "no", None: "n/a"}[g["is_minilateral"]]
        overall = "—" if g["overall"] is None else f"{g['overall']:.2f}"
        lines.append(
            f"| {g['name']} | {g['role'].replace('_', ' ')} | "
            f"{typology.label(g['type']) if g['type'] else 'n/a'} | {g['size']} | {mini} | "
            f"{g['informality']} | {overall}{cite(g['sources'])} |"
        )
    lines += [
        "",
        "Scorecard: mean of the assessable indicators of the article's five policy "
        "implications (docs/methodology.md); `minilat scorecard ID` shows each one.",
        "",
    ]
    lines += ["## Sources", ""]
    order: dict[str, int] = cite.order  # type: ignore[attr-defined]
    for sid, num in sorted(order.items(), key=lambda kv: kv[1]):
        s = r.sources[sid]
        lines.append(
            f"[^{num}]: {s['title']}. {s['publisher']}. <{s['url']}> (accessed {s['accessed']}; "
            f"id `{sid}`)"
        )
    return "\n".join(lines) + "\n"


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page (the chart inline, no scripts)."""
    import markdown

    body = markdown.markdown(
        render_markdown(report, chart_path=None), extensions=["tables", "footnotes"]
    )
    chart = memberships_chart(report)
    chart = chart[chart.index("<svg") :]
    title = html.escape(f"{report.country['name']} in tech minilateralism")
    marker = "<h2>Memberships over time</h2>"
    body = body.replace(marker, f'{marker}\n<figure role="img">{chart}</figure>', 1)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<title>{title}</title><meta name="viewport" content="width=device-width">'
        "<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
        "padding:0 1rem;color:#1a1a1a}table{border-collapse:collapse}td,th{border:1px solid "
        "#ccc;padding:.2rem .5rem}blockquote{border-left:4px solid #888;margin-left:0;"
        "padding-left:1rem;color:#333}svg{max-width:100%;height:auto}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )
