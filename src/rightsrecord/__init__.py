"""rightsrecord: country human-rights records rebuilt from the documents, every fact cited."""

__version__ = "0.1.0"
