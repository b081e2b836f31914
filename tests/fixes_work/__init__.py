"""Apply a report's first fix to a real user's case (tests/real_users) and check that it works.

``edits``: the three ways a recipe says WHERE a fix's code goes (``Insert``, ``Sub``, ``Merge``).
``recipes``: one recipe per case whose first fix works; ``NOT_WORKING``: the cases whose first fix does not.
The code always comes from the report: a recipe never spells the fix's code.
"""
