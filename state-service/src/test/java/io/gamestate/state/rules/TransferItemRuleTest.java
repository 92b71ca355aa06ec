package io.gamestate.state.rules;

import static io.gamestate.state.rules.RuleAssertions.refused;
import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.TransferItem;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

class TransferItemRuleTest {

    final RuleFixture world = new RuleFixture();

    @Test
    void aBagMovesWithItsContents() {
        long p = world.player(10, 10, 0);
        long bag = world.held(EntityKind.ENTITY_KIND_CONTAINER, p, "", 0);
        long pouch = world.held(EntityKind.ENTITY_KIND_CONTAINER, p, "", 0);
        long gem = world.held(EntityKind.ENTITY_KIND_ITEM, pouch, "gem", 1);
        world.apply(u -> u.setTransferItem(TransferItem.newBuilder().setItemId(pouch).setToParentId(bag)));
        assertThat(world.row(pouch).parentId).isEqualTo(bag);
        assertThat(world.row(gem).parentId).isEqualTo(pouch);
        assertThat(world.row(p).firstChild).isEqualTo(bag);
        assertThat(world.row(bag).prevSibling).isNull();
    }

    @Test
    void neverIntoItsOwnSubtreeNorOutOfTheWorld() {
        long p = world.player(10, 10, 0);
        long bag = world.held(EntityKind.ENTITY_KIND_CONTAINER, p, "", 0);
        long pouch = world.held(EntityKind.ENTITY_KIND_CONTAINER, bag, "", 0);
        refused(() -> world.apply(u -> u.setTransferItem(TransferItem.newBuilder().setItemId(bag).setToParentId(pouch))),
                Status.Code.FAILED_PRECONDITION, "its own subtree");
        refused(() -> world.apply(u -> u.setTransferItem(TransferItem.newBuilder().setItemId(p).setToParentId(bag))),
                Status.Code.FAILED_PRECONDITION, "placed in the world");
        refused(() -> world.apply(u -> u.setTransferItem(TransferItem.newBuilder().setItemId(bag).setToParentId(bag))),
                Status.Code.INVALID_ARGUMENT, "its own parent");
        assertThat(world.row(pouch).parentId).isEqualTo(bag);
    }
}
