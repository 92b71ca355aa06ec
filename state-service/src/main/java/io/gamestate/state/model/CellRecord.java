package io.gamestate.state.model;

import io.gamestate.common.world.Partitioner;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One node of a superblock's partition tree (LCRS); leaves hold entities. */
@Entity
@Table(name = "cell")
public class CellRecord {

    @Id
    public long id;
    @Column(name = "superblock_id")
    public int superblockId;
    @Column(name = "parent_id")
    public Long parentId;
    @Column(name = "first_child")
    public Long firstChild;
    @Column(name = "next_sibling")
    public Long nextSibling;
    public short depth;
    @Column(name = "partition_type")
    public short partitionType;
    @Column(name = "min_x")
    public double minX;
    @Column(name = "min_y")
    public double minY;
    @Column(name = "max_x")
    public double maxX;
    @Column(name = "max_y")
    public double maxY;
    @Column(name = "num_entities")
    public int numEntities;
    @Column(name = "request_queue")
    public int requestQueue;
    public long version;

    public Partitioner.Rect bounds() {
        return new Partitioner.Rect(minX, minY, maxX, maxY);
    }

    public boolean isLeaf() {
        return firstChild == null;
    }

    /** Half-open bounds, so every point of the world lies in exactly one leaf. */
    public boolean contains(double x, double y) {
        return x >= minX && x < maxX && y >= minY && y < maxY;
    }
}
