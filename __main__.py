"""Lookout: the monitoring plan of one environment (the stack), as code."""

from stacks.program import main

main()
