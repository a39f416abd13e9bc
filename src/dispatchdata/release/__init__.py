"""Releasing a dataset and comparing releases: the frozen bundle written record by record
(:mod:`.release`), the diff of two releases and the SemVer step it requires (:mod:`.diff`,
:mod:`.record_match`; the levels are :mod:`dispatchdata.semver`'s), and its reports
(:mod:`.diff_report`). Uses read/ and check/; nothing below imports it."""
