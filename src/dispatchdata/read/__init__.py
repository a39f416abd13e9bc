"""Reading a dataset: bytes to values with positions, records indexed by id, a release bundle read
in pieces. Nothing here checks the data (:mod:`dispatchdata.check` does) or writes it."""
