-- A move rewrites its entity row in a new place (its Morton key is indexed, so the update cannot be
-- HOT) and every index of entity takes a new entry for it. Two of them need none:
-- - entity_owner serves no read (the services find held entities through parent links);
-- - entity_parent is only ever searched for a parent (parent_id = ?, IN (...)), and placed roots,
--   whose rows moves rewrite, have none: indexing only rows with a parent leaves them out.
DROP INDEX entity_owner;
DROP INDEX entity_parent;
CREATE INDEX entity_parent ON entity (parent_id) WHERE parent_id IS NOT NULL;
