"""X12 EDI: the generic reader (835, 837, 999, 277CA share it), text cleaning, envelopes,
and the 837P claim writer and its read-back.
"""
