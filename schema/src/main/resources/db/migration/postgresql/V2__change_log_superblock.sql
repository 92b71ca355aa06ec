-- The superblock of the event's cell, written with the event: change data capture routes by it
-- (one bus subject per superblock) without reading the cell table.
ALTER TABLE change_log ADD COLUMN superblock_id INT NOT NULL DEFAULT 0;
ALTER TABLE change_log ALTER COLUMN superblock_id DROP DEFAULT;
