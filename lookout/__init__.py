"""Lookout's command line: run the plan against the sandbox, and the tooling around `pulumi`."""
