"""Rules: what a schema cannot see.

Each file's records are checked on their own while the file is in hand (:func:`extract`, and
:func:`check_texts` against the source texts); what crosses records — ids, references, dates,
names — is checked by a :class:`Join` over the compact facts each file gives. Rules read raw
parsed data, so they must hold up on data the schema has already rejected: they skip whatever is
not of the expected shape (the schema reports it) rather than fail.
"""

from __future__ import annotations

from .anchors import Texts
from .bundle import iter_bundle_problems
from .context import REFERENCES, Finding
from .facts import FileFacts, check_texts, extract
from .join import Join, JoinFinding, Place

__all__ = [
    "REFERENCES",
    "FileFacts",
    "Finding",
    "Join",
    "JoinFinding",
    "Place",
    "Texts",
    "check_texts",
    "extract",
    "iter_bundle_problems",
]
