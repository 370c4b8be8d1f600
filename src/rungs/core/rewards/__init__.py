"""Reward runs on files: the plans of a policy's `rewards:` section evaluated for one cycle, vectorised."""
