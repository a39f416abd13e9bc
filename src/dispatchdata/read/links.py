"""Symbolic links in a dataset folder: followed only to a file inside the folder.

A dataset comes from a pull request as often as not, and validation runs in CI; a link in it to
``/etc/passwd``, a private key or a token file must not be read, let alone echoed in a message.
So a link that leads outside the dataset folder is refused (DD116) without being opened; so is a
link to a folder (inside or out: a folder read twice, or in a loop, is no use to anyone). A link
to a file inside the folder is read where it really is, and named so in messages.

The check is made on real paths (the folder resolved, the link resolved); the file is then opened
at its real path without following a link there (see :func:`dispatchdata.read.files.read_bytes`), so
a link put in its place after the check is not followed either.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..codes import problem
from ..errors import Problem

OUTSIDE = "a symbolic link that leads outside the dataset folder: refused, nothing read from it"
TO_A_FOLDER = "a symbolic link to a folder: refused, nothing read from it (folder links are never followed)"


class Links:
    """The links met in one dataset folder: ``root`` is the folder resolved, ``refused`` the
    DD116 problems of the links not followed."""

    __slots__ = ("_prefix", "refused", "root")

    def __init__(self, root: Path) -> None:
        self.root = Path(os.path.realpath(root))
        self._prefix = os.path.join(self.root, "")  # the root and a separator: what is inside starts so
        self.refused: list[Problem] = []

    def follow(self, path: Path) -> Path | None:
        """What to read for ``path``, an entry of the folder (under :attr:`root`) that may be a
        link: ``path`` itself when it is not one (or is a link to nothing, which reading then
        reports), the real path of the file a link inside the folder leads to, or None for a
        link refused (a DD116 problem naming it)."""
        if not path.is_symlink():
            return path
        real = os.path.realpath(path)
        if real != str(self.root) and not real.startswith(self._prefix):
            self._refuse(path, OUTSIDE)
            return None
        if os.path.isdir(real):
            self._refuse(path, TO_A_FOLDER)
            return None
        return Path(real) if os.path.lexists(real) else path

    def _refuse(self, path: Path, message: str) -> None:
        rel = path.relative_to(self.root).as_posix()
        self.refused.append(problem("DD116", message, file=rel))
