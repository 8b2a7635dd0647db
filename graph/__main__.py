"""Entry point for `python -m graph`."""

from graph.cli import main

main()
