package io.gamestate.devstack.faults;

import io.gamestate.devstack.transfers.BareStore;
import java.io.IOException;
import java.time.Duration;

/**
 * A multi-node store the nemesis can hurt: node i (1-based) can be killed and restarted, paused
 * and resumed, cut off from the network and healed. Each topology (Galera, PostgreSQL primary
 * and standby) is one implementation; the nemesis and the checker need nothing else of it.
 */
public interface Cluster extends AutoCloseable {

    BareStore.Family family();

    int size();

    /** Where clients reach node i. */
    String host(int node);

    int port(int node);

    /** The store at node i, database given, for the checker and setup. */
    default BareStore store(int node, String database) {
        return new BareStore(family(), host(node), port(node), database);
    }

    /** SIGKILL: the node's process dies with no chance to clean up. */
    void kill(int node) throws IOException;

    /** Starts a killed node again and waits until it serves (rejoined, caught up). */
    void restart(int node, Duration timeout) throws IOException;

    /** SIGSTOP: the process is frozen, its sockets stay open. */
    void pause(int node) throws IOException;

    /** SIGCONT. */
    void resume(int node) throws IOException;

    /** The node cut off from every other node and client; throws when the topology cannot (no network namespaces). */
    void partition(int node) throws IOException;

    void heal(int node) throws IOException;

    /** Waits until every node serves again (after a heal or a resume). */
    void awaitServing(Duration timeout) throws IOException;

    @Override
    void close() throws IOException;
}
