"""``minilat validate`` reads as findings: errors one line each, warnings counted by kind
with one example each, and every warning still reachable (``--all``, ``--json``).

The bundled dataset has some sixty warnings of one kind; printed one long line each they
buried the result. These tests hold the grouping to the warnings :func:`check` finds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from minilat.dataset import WARNING_KINDS, check, strict_failures, warning_kind


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)


def _source(sid: str, url: str, copy_of: str | None = None) -> str:
    text = f"""- id: {sid}
  title: Source {sid}
  publisher: A publisher
  url: {url}
  accessed: "2026-12-02"
"""
    if copy_of:
        text += f"  copy_of: {{url: '{copy_of}', reason: the original is offline}}\n"
    return text


def _mixed(mini_dir: Path) -> None:
    """One warning of every kind but the share (an unnamed copy, a fact only a wiki
    supports) and three copies that name their original, among enough originals that
    copies stay under the share limit."""
    sources = "".join(
        _source(f"src-named-{i}", f"https://menafn.com/alpha-{i}", f"https://example.org/{i}")
        for i in range(3)
    )
    sources += _source("src-mirror", "https://menafn.com/alpha")
    sources += _source("src-wiki", "https://en.wikipedia.org/wiki/Alpha_Group")
    sources += "".join(_source(f"src-orig-{i}", f"https://www.gov.example/{i}") for i in range(90))
    _append(mini_dir / "sources" / "main.yaml", sources)
    alpha = mini_dir / "groupings" / "alpha.yaml"
    alpha.write_text(
        alpha.read_text().replace(
            "secretariat: {value: none, sources: [src-a]}",
            "secretariat: {value: none, sources: [src-wiki]}",
        )
    )


def _kind_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("  ") and "[warning]" in line]


def test_every_warning_has_a_kind_said_in_words(mini_dir: Path) -> None:
    _mixed(mini_dir)
    warnings = check(mini_dir)[1]
    kinds = {warning_kind(w) for w in warnings}
    assert kinds <= set(WARNING_KINDS)
    assert kinds == {"unnamed_copy", "named_copy", "wiki_only"}


def test_default_output_counts_each_kind_with_one_example(run: Any, mini_dir: Path) -> None:
    _mixed(mini_dir)
    warnings = check(mini_dir)[1]
    r = run("validate", str(mini_dir))
    assert r.exit_code == 0, r.output
    by_kind: dict[str, list[Any]] = {}
    for w in warnings:
        by_kind.setdefault(warning_kind(w), []).append(w)
    assert {k: len(v) for k, v in by_kind.items()} == {
        "named_copy": 3,
        "unnamed_copy": 1,
        "wiki_only": 1,
    }
    lines = _kind_lines(r.stdout)
    assert lines == [
        "  1 source that is a copy and names no original [warning]",
        "  1 fact only a wiki supports [warning]",
        "  3 sources that are copies and name their original (copy_of) [warning]",
    ]
    examples = [line for line in r.stdout.splitlines() if line.startswith("    e.g. ")]
    assert examples == [f"    e.g. {by_kind[k][0]}" for k in WARNING_KINDS if k in by_kind]
    # the other named copies are counted, not listed
    assert all(str(w) not in r.stdout for w in by_kind["named_copy"][1:])
    assert "--all" in r.stdout


def test_all_lists_every_warning_and_json_holds_them(run: Any, mini_dir: Path) -> None:
    _mixed(mini_dir)
    warnings = check(mini_dir)[1]
    r = run("validate", "--all", str(mini_dir))
    assert r.exit_code == 0, r.output
    assert [line for line in r.stdout.splitlines() if line.endswith("[warning]")] == [
        f"{w} [warning]" for w in warnings
    ]
    doc = json.loads(run("validate", "--json", str(mini_dir)).stdout)
    assert doc["ok"] is True and doc["errors"] == []
    assert [(w["file"], w["line"], w["field"], w["message"]) for w in doc["warnings"]] == [
        (w.file, w.line, w.field, w.message) for w in warnings
    ]
    assert {k["kind"]: k["count"] for k in doc["warning_kinds"]} == {
        "named_copy": 3,
        "unnamed_copy": 1,
        "wiki_only": 1,
    }
    failing = strict_failures(warnings)
    assert sum(w["fails_strict"] for w in doc["warnings"]) == len(failing) == 2


def test_strict_lists_its_errors_in_full_and_groups_what_stays_a_warning(
    run: Any, mini_dir: Path
) -> None:
    _mixed(mini_dir)
    warnings = check(mini_dir)[1]
    failing = strict_failures(warnings)
    r = run("validate", "--strict", str(mini_dir))
    assert r.exit_code == 1
    assert [line for line in r.stdout.splitlines() if line.endswith("[error]")] == [
        f"{w} [error]" for w in failing
    ]
    assert _kind_lines(r.stdout) == [
        "  3 sources that are copies and name their original (copy_of) [warning]"
    ]
    assert "2 problems" in r.stderr
    doc = json.loads(run("validate", "--strict", "--json", str(mini_dir)).stdout)
    assert doc["ok"] is False and doc["problems"] == 2
    assert sorted(w["level"] for w in doc["warnings"]) == ["error"] * 2 + ["warning"] * 3


def test_errors_are_still_listed_one_line_each(run: Any, mini_dir: Path) -> None:
    _mixed(mini_dir)
    for name in ("alpha", "beta"):
        f = mini_dir / "groupings" / f"{name}.yaml"
        f.write_text(f.read_text().replace("id:", "bogus: 1\nid:", 1))
    r = run("validate", str(mini_dir))
    assert r.exit_code == 1
    errors = check(mini_dir)[0]
    assert len(errors) >= 2
    assert all(str(p) in r.stdout.splitlines() for p in errors)
    doc = json.loads(run("validate", "--json", str(mini_dir)).stdout)
    assert len(doc["errors"]) == len(errors) and doc["ok"] is False


def test_the_bundled_dataset_reads_in_a_few_lines(run: Any) -> None:
    """Some sixty warnings: one count and one example per kind, not a line each."""
    warnings = check()[1]
    kinds = {warning_kind(w) for w in warnings}
    r = run("validate")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert len(lines) == (1 + 2 * len(kinds) if warnings else 0) <= 1 + 2 * len(WARNING_KINDS)
    counted = sum(int(line.split()[0]) for line in _kind_lines(r.stdout))
    assert counted == len(warnings)
