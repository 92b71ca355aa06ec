package io.gamestate.devstack.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** The faults command's options as run.sh and the README write them, parsed without running anything. */
class FaultsCommandLineTest {

    @Test
    void faultsAndTopologyByTheirNames() {
        FaultsCommand defaults = parse();
        assertThat(defaults.store).hasToString("galera");
        assertThat(defaults.faults).extracting(FaultsCommand.Planned::kind).containsExactly(Nemesis.Kind.KILL_NODE,
                Nemesis.Kind.PAUSE_NODE, Nemesis.Kind.PARTITION_NODE, Nemesis.Kind.KILL_STATE_SERVICE);

        assertThat(parse("--faults=kill-state-service:2,pause-node").faults).containsExactly(
                new FaultsCommand.Planned(Nemesis.Kind.KILL_STATE_SERVICE, 2), new FaultsCommand.Planned(Nemesis.Kind.PAUSE_NODE, 2));
        assertThatThrownBy(() -> parse("--faults=kill_node:2")).isInstanceOf(ParameterException.class)
                .hasMessageContaining("'kill_node' is no fault; choose from [kill-node, pause-node, partition-node, kill-state-service]");
        assertThatThrownBy(() -> parse("--store=cockroach")).isInstanceOf(ParameterException.class)
                .hasMessageContaining("'cockroach' is no topology; choose from [galera]");
    }

    private static FaultsCommand parse(String... args) {
        FaultsCommand command = new FaultsCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }
}
