"""python3 -m trainer train ...: see trainer/cli.py."""
import sys

from .cli import main

sys.exit(main(sys.argv[1:]))
