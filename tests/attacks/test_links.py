"""Nothing outside the dataset folder is read through a link, let alone echoed (issue 17, item 11).

A link that leads outside the dataset folder, or to a folder, is refused (DD116) without being
opened, naming the link; a link to a file inside the folder is read as that file."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import dispatchdata
from dispatchdata.check.validation import check, document_texts
from dispatchdata.cli import main
from dispatchdata.read.folder import read_bytes, read_dataset

from ..test_validate import MINIMAL, SOURCES

runner = CliRunner()
OUTSIDE = "DD116 a symbolic link that leads outside the dataset folder: refused, nothing read from it"
PASSWD = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
CHANGELOG = "# Changelog\n\n## [Unreleased]\n\n## [1.0.0] - 2026-11-28\n\n### Added\n\n- Everything.\n"


def _dataset(tmp_path: Path) -> Path:
    target = tmp_path / "project" / "dataset"
    shutil.copytree(MINIMAL, target)
    return target


def _opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every path os.open is asked to open from now on."""
    opened: list[str] = []
    real_open = os.open

    def recording(path: str | os.PathLike[str], flags: int, *args: int, **kwargs: int) -> int:
        opened.append(os.path.realpath(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", recording)
    return opened


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_a_link_to_a_secret_file_is_refused_unread_in_every_format(
    tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`ln -s /etc/passwd dataset/actors.yaml`: exit 1, DD116 naming actors.yaml, and not one
    line of the file in the output; the file is not even opened."""
    secret = tmp_path / "passwd"
    secret.write_text(PASSWD, encoding="utf-8")
    target = _dataset(tmp_path)
    (target / "actors.yaml").unlink()
    (target / "actors.yaml").symlink_to(secret)
    opened = _opened(monkeypatch)
    result = runner.invoke(main, ["validate", str(target), "--sources", str(SOURCES), "--format", fmt])
    assert result.exit_code == 1
    output = result.stdout + result.stderr
    assert "root:" not in output
    assert "daemon" not in output
    expected = {
        "text": f"{target}/actors.yaml: {OUTSIDE}\n",
        "json": '"file": "actors.yaml"',
        "github": f"::error file={target}/actors.yaml,title=DD116::{OUTSIDE[6:]}\n",
    }[fmt]
    assert expected in result.stdout
    assert "DD116" in result.stdout
    assert str(secret) not in opened


def test_a_secret_outside_with_valid_content_is_not_validated_exported_or_released(tmp_path: Path) -> None:
    """A link to a file outside that holds valid actors (and a secret): refused by validate,
    and so neither exported nor released; the secret appears nowhere."""
    secret = tmp_path / "actors.yaml"
    secret.write_text(
        (MINIMAL / "actors.yaml").read_text(encoding="utf-8") + "# token: s3cr3t-t0ken\n", encoding="utf-8"
    )
    target = _dataset(tmp_path)
    (target / "actors.yaml").unlink()
    (target / "actors.yaml").symlink_to(secret)
    (target.parent / "CHANGELOG.md").write_text(CHANGELOG, encoding="utf-8")

    report = dispatchdata.validate(target, sources=[SOURCES])
    assert not report.valid
    assert ("DD116", "actors.yaml", OUTSIDE[6:]) in [(p.code, p.file, p.message) for p in report.problems]

    out = tmp_path / "out"
    exported = runner.invoke(main, ["export", "json", "--release", str(target), "--output", str(out)])
    assert exported.exit_code != 0
    assert f"actors.yaml: {OUTSIDE}" in exported.stderr
    assert not out.exists()

    released = runner.invoke(
        main,
        [
            "release",
            "1.0.0",
            "--dataset",
            str(target),
            "--changelog",
            str(target.parent / "CHANGELOG.md"),
            "--sources",
            str(SOURCES),
        ],
    )
    assert released.exit_code == 1
    assert f"actors.yaml: {OUTSIDE}" in released.output
    assert not (target / "releases").exists()
    for result in (exported, released):
        assert "s3cr3t" not in result.stdout + result.stderr


def test_a_linked_collection_folder_outside_is_refused_unread(tmp_path: Path) -> None:
    """statements/ as a link to a folder outside: DD116 naming it, its files never read (and no
    'collection missing' besides)."""
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "private.yaml").write_text("- id: private-key-here\n", encoding="utf-8")
    target = _dataset(tmp_path)
    (target / "statements.yaml").unlink()
    (target / "statements").symlink_to(outside)
    result = runner.invoke(main, ["validate", str(target), "--sources", str(SOURCES)])
    assert result.exit_code == 1
    summary = "invalid: 1 error, 0 warnings in 4 files, 5 records\n"
    assert result.stdout == f"{target}/statements: {OUTSIDE}\n{summary}"


def test_links_inside_the_folder_and_out_of_a_collection_folder(tmp_path: Path) -> None:
    """In a collection's folder and in releases/: a link to a file outside is refused (DD116),
    a link to a folder (even inside) too, a file inside is read where it really is (a file in a
    hidden folder, here, named so)."""
    target = _dataset(tmp_path)
    (tmp_path / "outside.yaml").write_text("- id: x\n", encoding="utf-8")
    (target / ".drafts").mkdir()
    shutil.move(target / "proposals.yaml", target / ".drafts" / "proposals.yaml")
    (target / "proposals").mkdir()
    (target / "proposals" / "all.yaml").symlink_to("../.drafts/proposals.yaml")
    (target / "statements").mkdir()
    (target / "statements" / "more.yaml").symlink_to(tmp_path / "outside.yaml")
    (target / "statements" / "sub").symlink_to(target / ".drafts")
    (target / "releases").mkdir()
    (target / "releases" / "9.9.9.json").symlink_to(tmp_path / "outside.yaml")
    report = dispatchdata.validate(target, sources=[SOURCES])
    assert [(p.code, p.file, p.message) for p in report.problems] == [
        ("DD116", "releases/9.9.9.json", OUTSIDE[6:]),
        ("DD116", "statements/more.yaml", OUTSIDE[6:]),
        (
            "DD116",
            "statements/sub",
            "a symbolic link to a folder: refused, nothing read from it (folder links are never followed)",
        ),
    ]
    assert report.records == 7  # the proposals were read through the link


def test_a_link_to_a_file_inside_is_read_and_named_where_it_is(tmp_path: Path) -> None:
    """The decision for links inside the folder: read as the file they lead to, which messages
    name (its lines are the ones shown)."""
    target = _dataset(tmp_path)
    (target / ".drafts").mkdir()
    statements = (target / "statements.yaml").read_text(encoding="utf-8")
    (target / ".drafts" / "statements.yaml").write_text(
        statements.replace("speaker: anna-orlova", "speaker: ana-orlova"), encoding="utf-8"
    )
    (target / "statements.yaml").unlink()
    (target / "statements.yaml").symlink_to(".drafts/statements.yaml")
    result = runner.invoke(main, ["validate", str(target), "--sources", str(SOURCES), "-q"])
    assert result.exit_code == 1
    assert result.stdout == (
        f"{target}/.drafts/statements.yaml:18:12: DD302 unknown actor 'ana-orlova' "
        "(did you mean 'anna-orlova'?)\n"
    )


def test_a_data_file_is_read_without_following_a_link_put_in_its_place(tmp_path: Path) -> None:
    """A file of the dataset is opened at the real path its scan checked, without following a
    link there (one made after the check: the race between checking and reading); and, where
    the system says where an open file is, not through a folder on its way replaced by a link."""
    secret = tmp_path / "secret.yaml"
    secret.write_text("- token\n", encoding="utf-8")
    link = tmp_path / "actors.yaml"
    link.symlink_to(secret)
    with pytest.raises(OSError, match="symbolic links") as raised:
        read_bytes(link, follow_links=False)
    assert raised.value.errno == errno.ELOOP
    assert read_bytes(link) == b"- token\n"  # what any other file (a bundle, a text) still may do

    if not Path("/proc/self/fd").is_dir():
        pytest.skip("the system does not say where an open file is")
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "actors.yaml").write_text("- ok\n", encoding="utf-8")
    checked = folder.resolve() / "actors.yaml"
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "actors.yaml").write_text("- token\n", encoding="utf-8")
    shutil.rmtree(folder)
    folder.symlink_to(tmp_path / "elsewhere")  # the folder swapped for a link after the check
    with pytest.raises(OSError, match="moved behind a symbolic link"):
        read_bytes(checked, follow_links=False)


REFUSED_ACTORS = [
    f"{OUTSIDE}",
    "DD119 (warning) reference to actor 'duma' and 4 more not checked: actors.yaml could not be read",
]
REFUSED_DOCUMENTS = [
    "DD119 (warning) reference to document 'doc-1' and 10 more not checked: documents.yaml could not be read",
    f"{OUTSIDE}",
]


@pytest.mark.parametrize(
    ("refused", "first_places", "expected", "summary"),
    [
        ("actors.yaml", ["actors.yaml", "documents.yaml:3:14"], REFUSED_ACTORS, "4 records"),
        ("documents.yaml", ["actors.yaml:8:28", "documents.yaml"], REFUSED_DOCUMENTS, "6 records"),
    ],
)
@pytest.mark.parametrize("how", [[], ["-j", "2"], ["--cache", "CACHE"]])
def test_references_into_a_refused_collection_file_are_one_dd119_not_unknown(
    tmp_path: Path, refused: str, first_places: list[str], expected: list[str], summary: str, how: list[str]
) -> None:
    """A collection file refused as a link out of the folder (here to /dev/zero) is as unread as
    one that cannot be parsed: the references into its collection (the anchors' into documents
    too) are not each an "unknown actor/document" (DD302), but one DD119 that says they could
    not be checked; the same in one process, with workers, and read twice through the cache."""
    target = _dataset(tmp_path)
    (target / refused).unlink()
    (target / refused).symlink_to("/dev/zero")
    how = [str(tmp_path / "cache") if arg == "CACHE" else arg for arg in how]
    lines = [f"{target}/{place}: {line}" for place, line in zip(first_places, expected, strict=True)]
    for _ in range(2 if "--cache" in how else 1):
        result = runner.invoke(main, ["validate", str(target), "--sources", str(SOURCES), *how])
        assert result.exit_code == 1
        assert result.stdout == "\n".join(lines) + f"\ninvalid: 1 error, 1 warning in 4 files, {summary}\n"
    raw = read_dataset(target)
    checked = check(raw, document_texts(raw, [SOURCES])[1])  # a folder read whole: the same
    assert checked.problems == dispatchdata.validate(target, sources=[SOURCES]).problems


@pytest.mark.parametrize("option", [["--ignore", "DD1"], ["--ignore", "DD116,DD119"], ["--select", "DD3"]])
def test_no_filter_hides_a_file_that_was_not_read(tmp_path: Path, option: list[str]) -> None:
    """`--ignore DD1` (or `--select DD3`) on a dataset whose actors file is a link out of it gave
    exit 0, "valid": 41 actors never read, passed. A problem saying part of the dataset was not
    read (or a release changed) is kept whatever the filters say."""
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    (data / "actors.yaml").unlink()
    (data / "actors.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    (tmp_path / "elsewhere.yaml").write_text("[]\n", encoding="utf-8")
    result = runner.invoke(main, ["validate", str(data), "--sources", str(SOURCES), "-q", *option])
    assert result.exit_code == 1
    assert result.stdout == (
        f"{data}/actors.yaml: DD116 a symbolic link that leads outside the dataset folder: "
        "refused, nothing read from it\n"
    )


def test_a_readme_linked_outside_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """README.md, passed over as the folder's explanation, is no way out either: linked to a
    secret, DD116 naming it (exit 1), the secret never opened."""
    secret = tmp_path / "passwd"
    secret.write_text(PASSWD, encoding="utf-8")
    target = _dataset(tmp_path)
    (target / "README.md").symlink_to(secret)
    opened = _opened(monkeypatch)
    result = runner.invoke(main, ["validate", str(target), "--sources", str(SOURCES)])
    assert result.exit_code == 1
    summary = "invalid: 1 error, 0 warnings in 5 files, 7 records\n"
    assert result.stdout == f"{target}/README.md: {OUTSIDE}\n{summary}"
    assert str(secret) not in opened
