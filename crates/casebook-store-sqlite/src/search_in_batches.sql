-- casebook store, schema 4: the search index is written once per transaction, not
-- row by row. A trigger writing to FTS5 made every inserted entry a statement with its
-- own savepoint, and FTS5 writes its pending words to disk at each savepoint: an
-- import of 6,000 messages wrote 6,000 tiny index segments and then merged them.
-- The store now indexes the new contents itself, in one statement, after appending
-- (rows::index_contents).
DROP TRIGGER contents_are_searched;
