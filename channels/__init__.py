"""Input channels of the coach: the REST webhook and the web chat widget.

The Rasa-specific parts (``rest.py``, ``webchat.py``, ``handling.py``, ``store.py``) are
thin; the checks live in plain functions (``guard.py``, ``history.py``, ``texts.py``)
that are unit-tested without a server.
"""

from channels import speedups

speedups.install()
