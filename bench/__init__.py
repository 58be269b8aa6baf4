"""`make bench`: Lookout's speed and request counts against the sandbox (bench/run.py)."""
