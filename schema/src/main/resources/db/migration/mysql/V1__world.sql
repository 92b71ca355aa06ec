-- World model, MySQL family (MariaDB, MySQL, TiDB).
-- The postgresql folder holds the same model for the PostgreSQL family; keep the two in step.
-- Times are epoch milliseconds (BIGINT) so both families compare them the same way.

CREATE TABLE world (
    id              SMALLINT PRIMARY KEY,
    width           DOUBLE NOT NULL,
    height          DOUBLE NOT NULL,
    superblock_size DOUBLE NOT NULL,
    superblocks_x   INT NOT NULL,
    superblocks_y   INT NOT NULL
);

-- Hi/lo id blocks: portable across every engine of both families (no sequences, no auto ids).
CREATE TABLE id_allocator (
    name    VARCHAR(32) PRIMARY KEY,
    next_id BIGINT NOT NULL
);

-- Partition tree of each superblock as a left-child/right-sibling tree; leaves are the cells
-- entities live in (first_child IS NULL).
CREATE TABLE cell (
    id             BIGINT PRIMARY KEY,
    superblock_id  INT NOT NULL,
    parent_id      BIGINT,
    first_child    BIGINT,
    next_sibling   BIGINT,
    depth          SMALLINT NOT NULL,
    partition_type SMALLINT NOT NULL,
    min_x          DOUBLE NOT NULL,
    min_y          DOUBLE NOT NULL,
    max_x          DOUBLE NOT NULL,
    max_y          DOUBLE NOT NULL,
    num_entities   INT NOT NULL,
    request_queue  INT NOT NULL,
    version        BIGINT NOT NULL
);
CREATE INDEX cell_superblock ON cell (superblock_id);

-- Terrain layer: static ground description per cell.
CREATE TABLE terrain (
    cell_id   BIGINT PRIMARY KEY,
    biome     VARCHAR(16) NOT NULL,
    elevation INT NOT NULL,
    walkable  SMALLINT NOT NULL
);

-- Entities and resources layers. Roots (players, npcs, resource nodes, guilds) are placed:
-- position, cell and Morton key set. Held entities (items, bags, parties, members) hang under
-- a root through LCRS links and carry owner_id = that root.
CREATE TABLE entity (
    id           BIGINT PRIMARY KEY,
    kind         SMALLINT NOT NULL,
    owner_id     BIGINT NOT NULL,
    parent_id    BIGINT,
    first_child  BIGINT,
    next_sibling BIGINT,
    prev_sibling BIGINT,
    x            DOUBLE,
    y            DOUBLE,
    cell_id      BIGINT,
    morton       BIGINT,
    hp           INT NOT NULL,
    max_hp       INT NOT NULL,
    gold         BIGINT NOT NULL,
    amount       BIGINT NOT NULL,
    item_type    VARCHAR(32),
    dead         SMALLINT NOT NULL,
    attributes   TEXT,
    version      BIGINT NOT NULL
);
CREATE INDEX entity_cell ON entity (cell_id);
CREATE INDEX entity_morton ON entity (morton);
CREATE INDEX entity_parent ON entity (parent_id);
CREATE INDEX entity_owner ON entity (owner_id);

-- Effects layer: short-lived markers (hits, heals) with an expiry.
CREATE TABLE effect (
    id         BIGINT PRIMARY KEY,
    cell_id    BIGINT NOT NULL,
    target_id  BIGINT NOT NULL,
    kind       VARCHAR(16) NOT NULL,
    magnitude  INT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX effect_cell ON effect (cell_id, expires_at);
CREATE INDEX effect_expiry ON effect (expires_at);

-- Per-cell, per-layer aggregates, updated in the transaction of every change (exact).
-- One row per (cell, layer, kind) exists from the cell's creation, so updates never insert.
CREATE TABLE cell_aggregate (
    cell_id      BIGINT NOT NULL,
    layer        SMALLINT NOT NULL,
    kind         SMALLINT NOT NULL,
    entity_count BIGINT NOT NULL,
    amount_total BIGINT NOT NULL,
    hp_total     BIGINT NOT NULL,
    PRIMARY KEY (cell_id, layer, kind)
);

-- Transactional outbox: one event per (cell, cell version), gap-free per cell.
CREATE TABLE change_log (
    cell_id      BIGINT NOT NULL,
    cell_version BIGINT NOT NULL,
    request_id   VARCHAR(64) NOT NULL,
    rule         SMALLINT NOT NULL,
    committed_at BIGINT NOT NULL,
    payload      LONGBLOB NOT NULL,
    PRIMARY KEY (cell_id, cell_version)
);

-- Idempotency: the stored result of every applied request id.
CREATE TABLE rmw_request (
    request_id  VARCHAR(64) PRIMARY KEY,
    fingerprint BIGINT NOT NULL,
    result      LONGBLOB NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX rmw_request_created ON rmw_request (created_at);
