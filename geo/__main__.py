"""``python -m geo geocode ...``: the command line lives in cli.geocode."""
from cli.geocode import main

raise SystemExit(main())
