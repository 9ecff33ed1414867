"""python3 -m trainer train ...: see trainer/cli.py."""

import sys

from .cli import main

try:
    sys.exit(main(sys.argv[1:]))
except Exception as error:  # one line, not a traceback: the message says what is wrong and what to do
    from .files import ModelFileError
    from .train import NonFiniteLoss

    if isinstance(error, (NonFiniteLoss, ModelFileError)):
        sys.stderr.write(f"\nerror: {error}\n")
        sys.exit(1)
    raise
