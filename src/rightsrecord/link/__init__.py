"""Linking: documents that report the same real-world event."""
