"""Per-environment monitoring plans, composed from validated stack config."""
