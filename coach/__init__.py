"""The coach's functional core: plain Python with no Rasa, rasa-sdk or Sanic import.

Subpackages by subject: ``figures`` (money parsing, figure extraction, plausibility),
``offer`` (the planner and its presenter), ``practice`` (the collector, the turn reader,
the scorer), ``guidance`` (scripts, the rules catalogue, the facts), ``language``
(normalisation, segmentation), ``safety`` (the crisis net) and ``understanding`` (the
intent model, clarifying guesses). The Rasa shell (``actions/`` and ``addons/``) calls in.
"""
