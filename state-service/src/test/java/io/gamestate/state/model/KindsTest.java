package io.gamestate.state.model;

import static io.gamestate.proto.state.v1.EntityKind.ENTITY_KIND_CONTAINER;
import static io.gamestate.proto.state.v1.EntityKind.ENTITY_KIND_GUILD;
import static io.gamestate.proto.state.v1.EntityKind.ENTITY_KIND_ITEM;
import static io.gamestate.proto.state.v1.EntityKind.ENTITY_KIND_MEMBER;
import static io.gamestate.proto.state.v1.EntityKind.ENTITY_KIND_NPC;
import static io.gamestate.proto.state.v1.EntityKind.ENTITY_KIND_PARTY;
import static io.gamestate.proto.state.v1.EntityKind.ENTITY_KIND_PLAYER;
import static io.gamestate.proto.state.v1.EntityKind.ENTITY_KIND_RESOURCE_NODE;
import static io.gamestate.proto.state.v1.EntityKind.UNRECOGNIZED;
import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.proto.state.v1.Layer;
import org.junit.jupiter.api.Test;

/** The taxonomy as the service reads it from state.proto's EntityKind options. */
class KindsTest {

    @Test
    void placedKindsAndTheirLayers() {
        assertThat(Kinds.PLACED).containsExactly(ENTITY_KIND_PLAYER, ENTITY_KIND_NPC, ENTITY_KIND_RESOURCE_NODE, ENTITY_KIND_GUILD);
        assertThat(Kinds.layerOf(ENTITY_KIND_RESOURCE_NODE)).isEqualTo(Layer.LAYER_RESOURCES);
        assertThat(Kinds.layerOf(ENTITY_KIND_GUILD)).isEqualTo(Layer.LAYER_ENTITIES);
        assertThat(Kinds.isPlaced(ENTITY_KIND_ITEM)).isFalse();
        assertThat(Kinds.isPlaced(UNRECOGNIZED)).isFalse();
    }

    @Test
    void creaturesAndWhatHoldsWhat() {
        assertThat(Kinds.isCreature(ENTITY_KIND_NPC)).isTrue();
        assertThat(Kinds.isCreature(ENTITY_KIND_RESOURCE_NODE)).isFalse();
        assertThat(Kinds.canHold(ENTITY_KIND_PLAYER, ENTITY_KIND_CONTAINER)).isTrue();
        assertThat(Kinds.canHold(ENTITY_KIND_CONTAINER, ENTITY_KIND_ITEM)).isTrue();
        assertThat(Kinds.canHold(ENTITY_KIND_GUILD, ENTITY_KIND_PARTY)).isTrue();
        assertThat(Kinds.canHold(ENTITY_KIND_PARTY, ENTITY_KIND_MEMBER)).isTrue();
        assertThat(Kinds.canHold(ENTITY_KIND_ITEM, ENTITY_KIND_ITEM)).isFalse();
        assertThat(Kinds.canHold(ENTITY_KIND_RESOURCE_NODE, ENTITY_KIND_ITEM)).isFalse();
    }
}
