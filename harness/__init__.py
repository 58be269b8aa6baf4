"""What runs the product rather than being it: the sandbox as a process (and the config that points a
stack at it), the accounts seeded for a stack, and the Pulumi workspaces that sandbox runs deploy through.
The demo, the `--sandbox` commands, the fault suite, the tests and the benchmark use it."""
