"""Lookout's Pulumi dynamic providers: one transport, one provider base, one spec per resource."""
