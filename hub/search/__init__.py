"""Full-text search: Chinese-first analysis, permission-trimmed queries, facets and suggestions.

Kept empty on purpose: hub.models imports hub.search.models, so this package must not import
the rest of the app. `hub.search.setup` registers the built-in kinds and the indexing hooks
(the search views import it).
"""
