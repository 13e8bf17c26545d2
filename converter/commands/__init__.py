"""Command-line verbs of ``budgetlod`` (one module per verb)."""
