"""The catalog context in Postgres: the products projection, its folds and read queries."""
