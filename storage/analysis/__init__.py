"""The uploads/analysis context in Postgres: its projections, their folds and read queries."""
