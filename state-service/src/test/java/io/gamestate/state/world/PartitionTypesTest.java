package io.gamestate.state.world;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.common.world.Partitioner;
import io.gamestate.proto.state.v1.PartitionType;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** common's Partitioner repeats state.proto's PartitionType (common has no generated proto code): they must agree. */
class PartitionTypesTest {

    @Test
    void partitionerTypesAreTheContractsTypes() {
        assertThat(Arrays.stream(Partitioner.Type.values()).map(t -> "PARTITION_" + t.name() + "=" + t.number()))
                .containsExactlyElementsOf(Arrays.stream(PartitionType.values()).filter(t -> t != PartitionType.UNRECOGNIZED)
                        .map(t -> t.name() + "=" + t.getNumber()).toList());
    }
}
