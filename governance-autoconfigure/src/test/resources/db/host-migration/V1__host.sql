-- A host application's own table, migrated by the host's Flyway with the default history table.
CREATE TABLE host_item (
    id   INTEGER      NOT NULL PRIMARY KEY,
    name VARCHAR(100) NOT NULL
);
