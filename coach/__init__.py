"""The coach's functional core: plain Python with no Rasa, rasa-sdk or Sanic import.

The Rasa shell (``actions/``, ``nlu_components/``, ``channels/``) calls into it.
"""
