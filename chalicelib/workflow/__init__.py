"""The orchestration: the state machine definition, its queues and the handlers' contract."""
