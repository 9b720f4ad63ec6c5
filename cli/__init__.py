"""The command lines: argument parsing and messages only; the work is done by the packages.

``python -m incidents ...`` runs ``cli.incidents``; ``python -m geo ...`` runs ``cli.geocode``.
"""
