-- entity_owner serves no read (the services find held entities through parent links). InnoDB
-- has no partial indexes, but touches a secondary index only when its column changes, so a move
-- (which changes no parent) costs entity_parent nothing.
DROP INDEX entity_owner ON entity;
