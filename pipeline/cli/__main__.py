"""``python -m pipeline.cli``: the same command as ``duban``."""

from . import main

main()
