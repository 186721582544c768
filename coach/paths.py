"""Where the project's files are: its root, the content files and the local state."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONTENT_DIR = ROOT / "content"
VAR_DIR = ROOT / "var"
