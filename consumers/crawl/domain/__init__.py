"""Pure discovery rules: queries from an analysis, choosing pages, extraction, scores, filter, dedupe (no I/O)."""
