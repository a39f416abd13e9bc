"""Rules: what a schema cannot see.

Each file's records are checked on their own while the file is in hand (``facts.extract``, and
``facts.check_texts`` against the source texts); what crosses records — ids, references, dates,
names — is checked by a ``join.Join`` over the compact facts each file gives. Rules read raw
parsed data, so they must hold up on data the schema has already rejected: they skip whatever is
not of the expected shape (the schema reports it) rather than fail.

Every rule of one record is registered (``facts.RECORD_RULES`` and ``facts.TEXT_RULES``, and
``join.JOIN_RULES`` for a record's part in the cross-record rules) and runs on every record of
its collections: no path through a record leaves a rule out.

Modules: ``context`` (what a finding is, where references and anchors are), ``facts`` (one
file's facts and the registry of record-local rules), ``anchors``, ``characters``, ``dates``,
``identity`` (the rules by subject), ``join`` (the cross-record rules), ``bundle`` (release
bundles). This package imports
none of them, so that reading ``context.REFERENCES`` costs nothing more.
"""
