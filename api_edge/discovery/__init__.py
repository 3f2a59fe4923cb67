"""The discovery context at the edge: start a discovery, read its progress and results, the progress socket."""
