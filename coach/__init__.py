"""The coach's functional core: plain Python with no Rasa, rasa-sdk or Sanic import.

Subpackages by subject:

- ``language``: the text fold and normalisation, segmentation;
- ``figures``: the money and numeral reader, figure extraction, plausibility, form texts;
- ``offer``: the single-debt planner and its presenter;
- ``debts``: several debts (the model, reading them from a message, the split, its texts);
- ``casefile``: recorded contacts, the conduct check, letters and documents;
- ``practice``: the simulated collector, the turn reader, the scorer, the debrief, hints;
- ``guidance``: scripts, the rules catalogue, the facts behind every legal statement;
- ``safety``: the crisis net;
- ``understanding``: the intent model and the clarifying guesses;
- ``content`` and ``paths``: loading ``content/*.yml`` and the project's paths.

The Rasa shell (``actions/`` and ``addons/``) calls in; nothing here calls out.
"""
