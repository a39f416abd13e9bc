"""Checking a dataset: every input (a folder, a release bundle whole or in pieces, the cache)
produces units for one pipeline, schema → record rules → join → report
(:mod:`dispatchdata.check.pipeline`)."""
