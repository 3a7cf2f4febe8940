"""The read layer: typed services between the store and every output."""
