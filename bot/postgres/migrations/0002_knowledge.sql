-- Settings kept by the store. The knowledge base's full-text index is not
-- here: it is built in memory by each instance from the binary
-- (knowledge.go).
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
