package io.gamestate.state.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Terrain layer: the static ground of a cell. */
@Entity
@Table(name = "terrain")
public class TerrainRecord {

    @Id
    @Column(name = "cell_id")
    public long cellId;
    public String biome;
    public int elevation;
    public short walkable;
}
