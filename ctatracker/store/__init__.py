"""The database: the connection and the one write path (`database`), permissions, review, accounts, bulk upload,
public suggestions, the read-only snapshot, and every SQL read (`queries`, `contributions`, `cooperation`)."""
