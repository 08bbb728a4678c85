"""Full-text search: the query language, Dutch normalisation, and its compilation.

``query.parse`` turns what a Woo searcher types into a small tree of nodes;
``to_fts5`` compiles that tree to an SQLite FTS5 MATCH expression (the local
index) and ``to_pg`` to PostgreSQL full-text conditions (the central index).
``normalise`` holds the one folding and stemming both the indexer and the
compilers use, so a query and a document always meet in the same form.
"""
