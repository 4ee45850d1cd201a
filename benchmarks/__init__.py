"""Scale and speed measurements (reported in the README, never asserted in tests)."""
