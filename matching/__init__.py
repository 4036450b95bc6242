"""plan-align matching: candidate search, features, scoring, assignment and evaluation."""
