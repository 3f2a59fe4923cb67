"""Pure recommender parts: catalog index, content, collaborative, popularity, rules, routine, blend, A/B, trending."""
