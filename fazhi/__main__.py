"""`python -m fazhi`: the same as the `fazhi` command."""
from fazhi.cli import main

main()
