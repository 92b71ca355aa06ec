package io.gamestate.cdc;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Where a capture hands the changes it reads, on its own thread, one committed transaction at a time. */
public interface ChangeSink {

    /** What a sink that takes a transaction before returning returns. */
    CompletionStage<Void> TAKEN = CompletableFuture.completedStage(null);

    /**
     * The change_log rows of one committed transaction, in commit order. The returned stage
     * completes once the sink has taken the transaction (a relay: once the bus has it on disk),
     * so a sink can hand transactions on without waiting for each; the capture's durable offset
     * moves past a transaction only once it and every earlier one were taken. If this throws or
     * the stage fails, the capture reconnects and hands the transaction again.
     */
    CompletionStage<?> committed(List<CapturedChange> changes) throws Exception;

    /**
     * The capture (re)connected. A durable capture resumes at its offset (changes may come again,
     * never with a gap); a capture started at the head of the log may have missed what was
     * committed while it was away, so a sink that keeps positions of its own catches up here.
     */
    default void connected() {
    }
}
