"""Discovery projections (discovery sessions, discovered content), their folds and read queries."""
