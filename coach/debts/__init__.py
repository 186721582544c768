"""Several debts, one plan: what the user owes to each lender and how to share the money.

``model`` holds the values, ``intake`` reads debts from the user's words, ``planner``
shares the affordable amount, ``presenter`` puts the plan into words and the payload.
"""
