"""A local Firecrawl-compatible HTTP service serving fixture skincare pages, for tests and `make run`."""
