"""Reading and writing xlsx: the only package that imports python-calamine or openpyxl."""
