"""The controlled vocabularies that every layer shares, importable at no cost.

:mod:`minilat.model` re-exports these; they live here, with only the standard library,
so that the command line can offer them as choices without importing pydantic, numpy or
the analyses (``minilat --help`` stays fast).
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["LABELS", "WEIGHTINGS", "GroupingType", "Theme", "label", "plural_noun"]


class GroupingType(StrEnum):
    """The article's four types of tech minilateral."""

    SECURITY_DEFENCE = "security_defence"
    ECONOMIC_SUPPLY_CHAIN = "economic_supply_chain"
    DIGITAL_GOVERNANCE = "digital_governance"
    MULTIDIMENSIONAL = "multidimensional"


class Theme(StrEnum):
    """The controlled vocabulary of themes (documented in docs/data.md)."""

    SEMICONDUCTORS = "semiconductors"
    AI = "ai"
    QUANTUM = "quantum"
    TELECOM_5G = "telecom_5g"
    CYBER = "cyber"
    SPACE = "space"
    DEFENCE_PLATFORMS = "defence_platforms"
    HYPERSONICS = "hypersonics"
    CRITICAL_MINERALS = "critical_minerals"
    DIGITAL_PUBLIC_INFRASTRUCTURE = "digital_public_infrastructure"
    CONNECTIVITY_INFRASTRUCTURE = "connectivity_infrastructure"
    UNDERSEA_CABLES = "undersea_cables"
    CLEAN_ENERGY = "clean_energy"
    NUCLEAR = "nuclear"
    BIOTECH = "biotech"
    DATA_GOVERNANCE = "data_governance"
    STANDARDS = "standards"
    EXPORT_CONTROLS = "export_controls"
    SUPPLY_CHAINS = "supply_chains"
    DIGITAL_TRADE = "digital_trade"
    INTERNET_GOVERNANCE = "internet_governance"
    RESEARCH_INNOVATION = "research_innovation"
    INTELLIGENCE = "intelligence"
    MARITIME_SECURITY = "maritime_security"
    SECURITY = "security"
    TRADE_INVESTMENT = "trade_investment"
    FINANCE = "finance"
    DEVELOPMENT = "development"
    HEALTH = "health"
    CLIMATE = "climate"
    ENERGY_SECURITY = "energy_security"
    GOVERNANCE = "governance"


#: How co-membership is weighted in the country network (docs/network.md): ``newman``
#: divides each shared grouping by its size less one, ``count`` counts shared groupings.
WEIGHTINGS: tuple[str, ...] = ("newman", "count")


#: The ids whose underscores-as-spaces do not make words: a theme's name as the findings
#: and the docs write it. Every face reads it through :func:`label` (the web's filters and
#: methodology, the CLI's tables) and :func:`minilat.web.wording.plain`, so it is said once.
LABELS: dict[str, str] = {
    Theme.AI: "AI",
    Theme.TELECOM_5G: "telecoms and 5G",
    Theme.RESEARCH_INNOVATION: "research and innovation",
    Theme.TRADE_INVESTMENT: "trade and investment",
}


def label(value: object) -> str:
    """A record's value in words, as every face shows it (the web's ``label`` filter, the
    CLI's tables): a theme's name from :data:`LABELS`, otherwise an id's underscores as
    spaces, a yes/no for a boolean, "unknown" for a value not recorded. The ids themselves
    stay in the JSON.

    >>> label("economic_supply_chain"), label(False), label(None), label(6)
    ('economic supply chain', 'no', 'unknown', '6')
    >>> label("ai"), label("telecom_5g")
    ('AI', 'telecoms and 5G')
    """
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return LABELS.get(text) or text.replace("_", " ")


def plural_noun(noun: str, count: int | None = None) -> str:
    """The plural of a noun of the record's vocabulary, as every face writes it (the CLI's
    counts, the web's menus): a consonant's "y" becomes "ies". Given a ``count``, the noun
    that count takes: the singular for exactly one ("1 grouping", never "1 groupings").

    >>> plural_noun("country"), plural_noun("grouping"), plural_noun("day")
    ('countries', 'groupings', 'days')
    >>> plural_noun("grouping", 1), plural_noun("grouping", 0), plural_noun("partner", 59)
    ('grouping', 'groupings', 'partners')
    """
    if count == 1:
        return noun
    if len(noun) > 1 and noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"
