"""Persistence: the repository port, its DynamoDB implementation and the key scheme."""

from chalicelib.store.repository import CaseChange, CaseRepository, evolve

__all__ = ["CaseChange", "CaseRepository", "evolve"]
