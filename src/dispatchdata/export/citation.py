"""``citation``: ``CITATION.cff``, ``<name>.bib`` (BibTeX @misc) and ``<name>-biblatex.bib``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..citation import cite_biblatex, cite_bibtex, cite_cff
from . import safe_path


def write(bundle: dict[str, Any], folder: Path) -> None:
    """Write the three citation files."""
    name = bundle["metadata"]["name"]
    for file, text in (
        ("CITATION.cff", cite_cff(bundle)),
        (f"{name}.bib", cite_bibtex(bundle)),
        (f"{name}-biblatex.bib", cite_biblatex(bundle)),
    ):
        safe_path(folder, file).write_text(text, encoding="utf-8", newline="\n")
