"""The case file: a log of every contact with a collector, the rules a contact broke, and
the documents made from the user's own facts (complaint letter, instalment application,
action plan, the log itself).

``when`` reads Chinese dates and times, ``contact`` reads a user's account of a contact,
``conduct`` checks it against the catalogued rules, ``documents`` writes the letters.
"""
