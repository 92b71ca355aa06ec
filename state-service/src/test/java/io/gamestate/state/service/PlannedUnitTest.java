package io.gamestate.state.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.proto.state.v1.EntityKind;
import io.gamestate.proto.state.v1.Position;
import io.gamestate.proto.state.v1.RmwUnit;
import io.gamestate.proto.state.v1.Spawn;
import org.junit.jupiter.api.Test;

/** The fingerprint that tells a true retry from a reused request id. */
class PlannedUnitTest {

    @Test
    void aRetryReSerializedWithItsMapInAnotherOrderHasTheSameFingerprint() {
        Spawn.Builder spawn = Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_NPC).setPosition(Position.newBuilder().setX(1).setY(2));
        RmwUnit first = RmwUnit.newBuilder().setRequestId("r1")
                .setSpawn(spawn.clone().putAttributes("a", "1").putAttributes("b", "2").putAttributes("c", "3")).build();
        RmwUnit retry = RmwUnit.newBuilder().setRequestId("r1")
                .setSpawn(spawn.clone().putAttributes("c", "3").putAttributes("a", "1").putAttributes("b", "2")).build();
        assertThat(first.toByteArray()).as("the wire bytes do differ").isNotEqualTo(retry.toByteArray());
        assertThat(PlannedUnit.fingerprint(retry)).isEqualTo(PlannedUnit.fingerprint(first));
    }

    @Test
    void anotherUnitUnderTheSameIdHasAnotherFingerprint() {
        RmwUnit a = RmwUnit.newBuilder().setRequestId("r1").setSpawn(Spawn.newBuilder().setKind(EntityKind.ENTITY_KIND_NPC)
                .putAttributes("a", "1")).build();
        RmwUnit b = a.toBuilder().setSpawn(a.getSpawn().toBuilder().putAttributes("a", "2")).build();
        assertThat(PlannedUnit.fingerprint(b)).isNotEqualTo(PlannedUnit.fingerprint(a));
    }
}
