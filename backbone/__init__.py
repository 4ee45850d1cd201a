"""The ``backbone`` command: offline engine, analyzer client, reports and sizing."""
