"""``python -m incidents COMMAND ...``: the command line lives in cli.incidents."""
import sys

from cli.incidents import main

sys.exit(main())
