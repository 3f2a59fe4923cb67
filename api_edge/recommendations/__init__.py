"""The recommendation context at the edge: recommendations, feedback, trending, products, experiments."""
