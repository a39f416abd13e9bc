"""The command line's choices (cli/choices.py) are its registries' names, and building the
command line imports none of what writes a format: `--version`, `validate` and every other
command start without the exporters, the data's identity or the citation model."""

from __future__ import annotations

import subprocess
import sys

from dispatchdata.citation import CITERS
from dispatchdata.cli import choices
from dispatchdata.export import EXPORTERS, FORMATS
from dispatchdata.release.diff_report import DIFF_REPORTERS


def test_each_choice_list_is_its_registrys() -> None:
    assert choices.EXPORT_FORMATS == FORMATS
    assert tuple(name for name, exporter in EXPORTERS.items() if exporter.tables) == choices.TABLE_FORMATS
    assert tuple(sorted(CITERS)) == choices.CITATION_FORMATS
    assert tuple(sorted(DIFF_REPORTERS)) == choices.DIFF_FORMATS


def test_the_command_line_loads_without_the_exporters_and_the_citation_model() -> None:
    """In a fresh interpreter (this one has imported them): the command line and its options."""
    heavy = ("dispatchdata.export", "dispatchdata.citation", "dispatchdata.model", "dispatchdata.identity")
    probe = f"import sys, dispatchdata.cli; print(sorted(m for m in sys.modules if m.startswith({heavy!r})))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout == "[]\n"
