"""The repository stands alone: no file names a machine path or a file outside it."""

import re
import subprocess
from pathlib import Path

from coach.paths import ROOT

TEXT_SUFFIXES = {".py", ".yml", ".yaml", ".md", ".txt", ".toml", ".js", ".sh", ".html", ".css"}
TEXT_SUFFIXES |= {".json", ".in", ".lock", ".cfg", ".ini", ""}
# Machine paths, paths that climb out of the checkout, and the team's documents that
# live beside it (their content is in docs/contract.md and content/facts.yml).
OUTSIDE = re.compile(
    r"/(work|home|Users|root)/|\.\./shared|\.\./[A-Za-z_-]+\.md"
    r"|(?<![\w/])(CONTRACT\.md|domain-facts\.md|measured\.md)"
)


def repo_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    return [name for name in listed if name and (ROOT / name).is_file()]


def test_no_file_names_a_path_outside_the_repo():
    offenders = []
    for name in repo_files():
        if Path(name).suffix not in TEXT_SUFFIXES:
            continue
        try:
            text = (ROOT / name).read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        found = OUTSIDE.search(text)
        if found:
            offenders.append(f"{name}: {found.group(0)}")
    assert not offenders, f"these files name a path outside the repository: {offenders}"


def test_the_pattern_catches_what_it_is_for():
    # Built from pieces, so this file does not match itself.
    contract = "CONTRACT" + ".md"
    for text in ("/" + "work/main/x.py", "../" + "shared/x", "see " + contract, ".." + "/guide.md"):
        assert OUTSIDE.search(text), text
    for text in ("docs/contract.md", "content/facts.yml", "rasa.shared.core"):
        assert not OUTSIDE.search(text), text
