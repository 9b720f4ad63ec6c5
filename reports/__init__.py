"""English news reports -> incident candidates: sentences, dates, casualties, events, extraction.

No network and no database: the gazetteer is an argument, the result a frame of the incident schema.
"""
