package io.gamestate.common.tracing;

/**
 * Names of the spans the suite's own code starts (the rest come from Quarkus's instrumentation):
 * the services write them, and the slow-request report (devstack) and dashboards find spans by them.
 */
public final class SpanNames {

    /** One ApplyBatch inside state-service, all its attempts included. */
    public static final String RMW_BATCH = "rmw.batch";
    /** One attempt of a batch: a store transaction. */
    public static final String RMW_TRANSACTION = "rmw.transaction";
    /** A caller's time in state-service's group commit, queued and carried (see {@link BatchTracing}). */
    public static final String RMW_GROUP_COMMIT = "rmw.group-commit";
    /** A player action's time in the GLS's tick, queued and carried (see {@link BatchTracing}). */
    public static final String GLS_TICK = "gls.tick";

    private SpanNames() {
    }
}
