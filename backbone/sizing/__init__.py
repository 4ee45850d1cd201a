"""Workload-driven sizing: ``backbone size train|serve`` ranks every catalog instance type that fits a
workload by cost, and ``--write-stack`` writes the best one on a cloud as a stack file."""

from backbone.sizing.rank import Sizing, size

__all__ = ["Sizing", "size"]
