"""Register the built-in searchable kinds and the indexing hooks (imported by the search views)."""

from . import indexing, kinds_documents, kinds_knowledge  # noqa: F401
