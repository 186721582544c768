"""Loads the coach's content files (YAML under ``content/``).

Content is data: texts, scripts, facts, lexicons and collector lines live in YAML so they
can be reviewed and changed without touching code. Each file is read once per process.
"""

from functools import cache
from typing import Any

import yaml

from coach.paths import CONTENT_DIR


@cache
def load_content(name: str) -> dict[str, Any]:
    """Return the parsed ``content/<name>.yml`` file as a dict."""
    path = CONTENT_DIR / f"{name}.yml"
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, dict):
        raise ValueError(f"{path} must hold a mapping at its top level")
    return data
