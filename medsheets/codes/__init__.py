"""Code sets and the edits (claim-scrubber checks) run over encounters."""
