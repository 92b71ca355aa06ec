package io.gamestate.devstack.faults;

import io.gamestate.devstack.EnumNames;
import io.gamestate.devstack.Sleeps;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The faults, each bounded in time: what is done at the start, held, and undone. A fault's window
 * runs from the first act to the moment it is undone and the hurt part serves again (a killed node
 * restarted and synced, a killed state-service ready): the time the system ran without it.
 */
public final class Nemesis {

    /** The faults by their command-line names, and whom each hurts. */
    public enum Kind {
        /** SIGKILL of store node {@code node}, held, then the node started again and rejoined. */
        KILL_NODE,
        /** SIGSTOP of a store node, held, then SIGCONT: a frozen process whose sockets stay open. */
        PAUSE_NODE,
        /** A store node cut off from its peers (its peer link down), held, then healed. */
        PARTITION_NODE,
        /** SIGKILL of a state-service process, held, then started again. */
        KILL_STATE_SERVICE;

        @Override
        public String toString() {
            return EnumNames.of(this);
        }

        public static final class Named extends EnumNames<Kind> {
            public Named() {
                super(Kind.class, "fault");
            }
        }
    }

    private final Cluster cluster;
    private final List<ServiceProcess> stateServices;
    private final Duration restartTimeout;

    public Nemesis(Cluster cluster, List<ServiceProcess> stateServices, Duration restartTimeout) {
        this.cluster = cluster;
        this.stateServices = stateServices;
        this.restartTimeout = restartTimeout;
    }

    /** Injects the fault into target (a store node or a state-service, 1-based), holds it, undoes it; answers its window. */
    public History.Fault inject(Kind kind, int target, Duration hold) throws IOException {
        System.out.printf("==> fault %s %d for %d s%n", kind, target, hold.toSeconds());
        switch (kind) {
            case KILL_NODE -> cluster.kill(target);
            case PAUSE_NODE -> cluster.pause(target);
            case PARTITION_NODE -> cluster.partition(target);
            case KILL_STATE_SERVICE -> stateServices.get(target - 1).kill();
        }
        // The window opens once the fault has taken effect: units sent while it was on its way
        // could still be answered, and would read as an early recovery.
        long start = System.currentTimeMillis();
        Sleeps.sleep(hold);
        switch (kind) {
            case KILL_NODE -> cluster.restart(target, restartTimeout);
            case PAUSE_NODE -> cluster.resume(target);
            case PARTITION_NODE -> cluster.heal(target);
            case KILL_STATE_SERVICE -> stateServices.get(target - 1).start(restartTimeout);
        }
        long end = System.currentTimeMillis();
        System.out.printf("    undone after %d ms%n", end - start);
        return new History.Fault(kind + " " + target, start, end);
    }
}
