"""Local development and test tooling: provisioning on moto, the SQS pump, the dev server.

Not part of the Lambda package."""
