package io.gamestate.state.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;

/** Materialized per-cell, per-layer, per-kind figures, exact at every commit. */
@Entity
@Table(name = "cell_aggregate")
@IdClass(CellAggregateRecord.Key.class)
public class CellAggregateRecord {

    @Id
    @Column(name = "cell_id")
    public long cellId;
    @Id
    public short layer;
    @Id
    public short kind;
    @Column(name = "entity_count")
    public long entityCount;
    @Column(name = "amount_total")
    public long amountTotal;
    @Column(name = "hp_total")
    public long hpTotal;

    public record Key(long cellId, short layer, short kind) implements Serializable {
        public Key() {
            this(0, (short) 0, (short) 0);
        }
    }
}
