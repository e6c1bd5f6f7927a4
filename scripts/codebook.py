"""Write docs/codebook.md from the panels' column definitions (``make docs``)."""

from __future__ import annotations

from pathlib import Path

from minilat.panel_files import codebook_markdown

if __name__ == "__main__":
    path = Path(__file__).resolve().parent.parent / "docs" / "codebook.md"
    path.write_text(codebook_markdown(), encoding="utf-8")
    print(f"wrote {path}")
