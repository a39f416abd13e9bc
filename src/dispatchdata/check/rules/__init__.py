"""Rules: what a schema cannot see.

Each file's records are checked on their own while the file is in hand (``facts.extract``, and
``facts.check_texts`` against the source texts); what crosses records — ids, references, dates,
names — is checked by a ``join.Join`` over the compact facts each file gives. Rules read raw
parsed data, so they must hold up on data the schema has already rejected: they skip whatever is
not of the expected shape (the schema reports it) rather than fail.

Every rule is registered in ``dispatchdata.codes`` with the codes (severity, title) it reports
(``@rule``, where the rule is written: record and text rules in ``facts``, cross-record rules in
``join``) and runs on every record of its collections: no path through a record leaves a rule
out. The one pre-filter: a rule that declares the field it reads (``when``) is not called for a
record where that field is missing or empty, where it would find nothing (tests/test_registry.py
holds every such rule to that, on every record of the dataset and of the invalid cases).
``catalogue`` imports every registering module: the complete list of codes and rules.

The per-record code calls a method on its object (``data.get(key)``, ``found.append(item)``)
rather than binding it to a name once (``get = data.get``): CPython 3.11 specialises such calls
where they are written (a list's append, a dict's method), and a bound method called by name
misses that and is slower (benchmarks/README.md, "Session 15").

Modules: ``context`` (what a finding is, where references and anchors are), ``facts`` (one
file's facts and the record-local rules), ``anchors``, ``characters``, ``dates``, ``footnotes``,
``identity``, ``stances`` (the rules by subject), the codebook's rules (``errata_quotes``,
``first_mention``, ``kinds``, ``media``), ``join`` (the cross-record rules), ``bundle`` (release
bundles), ``catalogue``. This package imports none of them, so that reading
``context.REFERENCES`` costs nothing more.
"""
