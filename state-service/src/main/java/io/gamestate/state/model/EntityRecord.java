package io.gamestate.state.model;

import io.gamestate.proto.state.v1.EntityKind;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One row of the {@code entity} table. Hibernate Reactive maps it for lookups; the RMW path fills
 * it from prepared-statement rows and uses it as the mutable working copy inside a transaction.
 */
@Entity
@Table(name = "entity")
public class EntityRecord {

    @Id
    public long id;
    public short kind;
    @Column(name = "owner_id")
    public long ownerId;
    @Column(name = "parent_id")
    public Long parentId;
    @Column(name = "first_child")
    public Long firstChild;
    @Column(name = "next_sibling")
    public Long nextSibling;
    @Column(name = "prev_sibling")
    public Long prevSibling;
    public Double x;
    public Double y;
    @Column(name = "cell_id")
    public Long cellId;
    public Long morton;
    public int hp;
    @Column(name = "max_hp")
    public int maxHp;
    public long gold;
    public long amount;
    @Column(name = "item_type")
    public String itemType;
    public short dead;
    public String attributes;
    public long version;

    public EntityKind entityKind() {
        return EntityKind.forNumber(kind);
    }

    public boolean isRoot() {
        return parentId == null;
    }

    public boolean isDead() {
        return dead != 0;
    }

    public EntityRecord copy() {
        EntityRecord c = new EntityRecord();
        c.id = id;
        c.kind = kind;
        c.ownerId = ownerId;
        c.parentId = parentId;
        c.firstChild = firstChild;
        c.nextSibling = nextSibling;
        c.prevSibling = prevSibling;
        c.x = x;
        c.y = y;
        c.cellId = cellId;
        c.morton = morton;
        c.hp = hp;
        c.maxHp = maxHp;
        c.gold = gold;
        c.amount = amount;
        c.itemType = itemType;
        c.dead = dead;
        c.attributes = attributes;
        c.version = version;
        return c;
    }
}
