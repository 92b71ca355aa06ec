package io.gamestate.state.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.Rule;
import io.gamestate.state.model.EntityRecord;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** LCRS link/unlink and per-unit undo, in memory. */
class WorkingSetTest {

    final WorkingSet ws = new WorkingSet(LongStream.range(100, 200).iterator(), 0);

    EntityRecord row(long id, EntityKind kind, long owner) {
        EntityRecord e = new EntityRecord();
        e.id = id;
        e.kind = (short) kind.getNumber();
        e.ownerId = owner;
        ws.load(e);
        return e;
    }

    @Test
    void linkPutsTheNodeFirstAndUnlinkClosesTheGap() {
        row(1, EntityKind.ENTITY_KIND_PLAYER, 1);
        row(2, EntityKind.ENTITY_KIND_ITEM, 1);
        row(3, EntityKind.ENTITY_KIND_ITEM, 1);
        row(4, EntityKind.ENTITY_KIND_ITEM, 1);
        ws.beginUnit();
        ws.link(4, 1);
        ws.link(3, 1);
        ws.link(2, 1);
        assertThat(ws.find(1).firstChild).isEqualTo(2);
        assertThat(ws.find(2).nextSibling).isEqualTo(3);
        assertThat(ws.find(3).prevSibling).isEqualTo(2);
        ws.unlink(3);
        assertThat(ws.find(2).nextSibling).isEqualTo(4);
        assertThat(ws.find(4).prevSibling).isEqualTo(2);
        ws.unlink(2);
        assertThat(ws.find(1).firstChild).isEqualTo(4);
        assertThat(ws.find(4).prevSibling).isNull();
        assertThat(ws.descendants(1)).extracting(e -> e.id).containsExactly(4L);
    }

    @Test
    void aFailedUnitLeavesNoTrace() {
        row(1, EntityKind.ENTITY_KIND_PLAYER, 1).gold = 10;
        row(2, EntityKind.ENTITY_KIND_ITEM, 1);
        ws.beginUnit();
        ws.link(2, 1);
        ws.commitUnit("r1", Rule.RULE_TRANSFER_ITEM);
        ws.beginUnit();
        ws.modify(1).gold = 0;
        ws.unlink(2);
        EntityRecord created = new EntityRecord();
        ws.create(created);
        ws.delete(2);
        ws.rollbackUnit();
        assertThat(ws.find(1).gold).isEqualTo(10);
        assertThat(ws.find(1).firstChild).isEqualTo(2);
        assertThat(ws.find(2).parentId).isEqualTo(1);
        assertThat(ws.find(created.id)).isNull();
        assertThat(ws.updates()).extracting(e -> e.id).containsExactlyInAnyOrder(1L, 2L);
        assertThat(ws.inserts()).isEmpty();
        assertThat(ws.deletes()).isEmpty();
    }
}
