"""Deployment: the merge template and the per-function IAM policies, generated from the same
definitions that build the local resources (table schema, queues, state machine definition),
so local and deployed cannot drift. ``python -m infra.build_template`` writes both."""
