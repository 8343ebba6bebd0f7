-- Full-text index of the embedded knowledge base, rebuilt when it changes.
CREATE VIRTUAL TABLE knowledge USING fts5 (
	id UNINDEXED,
	title,
	phrasings,
	tags,
	answer,
	tokenize = 'porter unicode61'
);

CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
