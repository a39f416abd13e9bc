"""The names the command line offers as choices (export, citation and diff formats), written
here so that building the command line does not import what writes each format: every command,
``--version`` included, would otherwise pay for loading the exporters and the citation model.
``tests/test_cli_choices.py`` keeps each list equal to its registry."""

from __future__ import annotations

#: ``dispatchdata.export.FORMATS``: every export format, sorted.
EXPORT_FORMATS = ("citation", "csv", "datapackage", "json", "parquet", "site", "sqlite")
#: The export formats that write tables (``Exporter.tables``, in the registry's order), which
#: show a progress bar.
TABLE_FORMATS = ("csv", "sqlite", "datapackage", "parquet")
#: ``dispatchdata.citation.CITERS``, sorted.
CITATION_FORMATS = ("biblatex", "bibtex", "cff", "text")
#: ``dispatchdata.release.diff_report.DIFF_REPORTERS``, sorted.
DIFF_FORMATS = ("json", "markdown", "text")
