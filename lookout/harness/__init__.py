"""What runs the product rather than being it: the sandbox process and its seed, the sandbox workspace the
demo and the `--sandbox` commands deploy through, and the fault suite."""
