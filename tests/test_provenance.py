"""Copies and wiki-only facts: found, counted, warnings by default, errors under --strict."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from minilat import provenance
from minilat.dataset import check, load, strict_failures, validate


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)


MIRROR = """- id: src-mirror
  title: Alpha statement, republished
  publisher: An aggregator
  url: https://menafn.com/alpha
  accessed: "2026-11-28"
"""

WIKI = """- id: src-wiki
  title: Alpha Group
  publisher: Wikipedia
  url: https://en.wikipedia.org/wiki/Alpha_Group
  accessed: "2026-11-28"
"""


def test_clean_fixture_has_no_warnings(mini_dir: Path) -> None:
    assert check(mini_dir) == ([], [])


def test_unnamed_copy_is_a_warning_not_an_error(mini_dir: Path) -> None:
    _append(mini_dir / "sources" / "main.yaml", MIRROR + _originals(30))
    errors, warnings = check(mini_dir)
    assert errors == []
    [w] = warnings
    assert w.file == "sources/main.yaml" and w.field == "source src-mirror"
    assert "names no original" in w.message
    assert validate(mini_dir) == []
    assert [str(p) for p in validate(mini_dir, strict=True)] == [str(w)]


def test_named_copy_says_whose_copy_it_is(mini_dir: Path) -> None:
    _append(
        mini_dir / "sources" / "main.yaml",
        MIRROR + "  copy_of: {url: 'https://example.org/alpha', reason: the original is offline}\n",
    )
    w = next(w for w in check(mini_dir)[1] if w.field == "source src-mirror")
    assert w.message == "copy of https://example.org/alpha (the original is offline)"
    ds = load(mini_dir)
    copy_of = ds.sources["src-mirror"].copy_of
    assert copy_of is not None and copy_of.reason == "the original is offline"


def _originals(n: int) -> str:
    return "".join(
        f"""- id: src-orig-{i}
  title: Original {i}
  publisher: A ministry
  url: https://www.gov.example/{i}
  accessed: "2026-12-02"
"""
        for i in range(n)
    )


NAMED = MIRROR + "  copy_of: {url: 'https://example.org/alpha', reason: the original is offline}\n"


def test_named_copy_within_the_share_limit_passes_strict(mini_dir: Path) -> None:
    _append(mini_dir / "sources" / "main.yaml", NAMED + _originals(30))
    errors, warnings = check(mini_dir)
    [w] = warnings
    assert errors == [] and w.field == "source src-mirror"
    assert strict_failures(warnings) == []
    assert validate(mini_dir, strict=True) == []


def test_copies_above_the_share_limit_fail_strict(mini_dir: Path) -> None:
    _append(mini_dir / "sources" / "main.yaml", NAMED)
    warnings = check(mini_dir)[1]
    [share] = strict_failures(warnings)
    assert share.field == "sources" and "above the 5% allowed" in share.message
    assert [str(p) for p in validate(mini_dir, strict=True)] == [str(share)]


def test_fact_only_a_wiki_supports(mini_dir: Path) -> None:
    _append(mini_dir / "sources" / "main.yaml", WIKI)
    alpha = mini_dir / "groupings" / "alpha.yaml"
    text = alpha.read_text()
    text = text.replace(
        "secretariat: {value: none, sources: [src-a]}",
        "secretariat: {value: none, sources: [src-wiki]}",
    )
    text = text.replace(
        "website: {value: none, sources: [src-a]}",
        "website: {value: none, sources: [src-a, src-wiki]}",
    )
    alpha.write_text(text)
    [w] = check(mini_dir)[1]
    assert (w.file, w.field) == ("groupings/alpha.yaml", "secretariat")
    assert strict_failures([w]) == [w]
    assert "only a wiki" in w.message


def test_cli_counts_warnings_and_strict_fails(run: Any, mini_dir: Path) -> None:
    _append(mini_dir / "sources" / "main.yaml", MIRROR)
    ok = run("validate", str(mini_dir))
    assert ok.exit_code == 0, ok.output
    assert "[warning]" in ok.output and "1 source that are copies" in ok.output
    strict = run("validate", "--strict", str(mini_dir))
    assert strict.exit_code == 1
    assert "[error]" in strict.output and "2 problems" in strict.output


def test_cli_strict_passes_a_named_copy_within_the_limit(run: Any, mini_dir: Path) -> None:
    _append(mini_dir / "sources" / "main.yaml", NAMED + _originals(30))
    strict = run("validate", "--strict", str(mini_dir))
    assert strict.exit_code == 0, strict.output
    assert "[warning]" in strict.output and "0 of these warnings" in strict.output


def test_store_round_trips_copy_of(run: Any, mini_dir: Path) -> None:
    _append(
        mini_dir / "sources" / "main.yaml",
        MIRROR + "  copy_of: {url: 'https://example.org/a', reason: archived}\n",
    )
    r = run("build", data=mini_dir)
    assert r.exit_code == 0, r.output


@given(st.sampled_from(sorted(provenance.WIKI_HOSTS)), st.sampled_from(["", "www.", "fr."]))
def test_every_wiki_host_and_its_subdomains_are_wikis(host: str, sub: str) -> None:
    assert provenance.kind_of_url(f"https://{sub}{host}/page") == "wiki"


@given(st.sampled_from(sorted(provenance.COPY_HOSTS)))
def test_copy_hosts_are_copies_and_original_lookalikes_are_not(host: str) -> None:
    assert provenance.kind_of_url(f"https://{host}/x") == "copy"
    assert provenance.kind_of_url(f"https://not{host}/x") == "original"


def test_bare_ip_is_a_copy() -> None:
    assert provenance.kind_of_url("http://15.188.152.128/x") == "copy"
