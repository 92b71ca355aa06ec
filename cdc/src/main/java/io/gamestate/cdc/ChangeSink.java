package io.gamestate.cdc;

import java.util.List;

/** Where a capture hands the changes it reads, on its own thread, one committed transaction at a time. */
public interface ChangeSink {

    /**
     * The change_log rows of one committed transaction, in commit order. The capture's durable
     * offset moves past the transaction only after this returns; if it throws, the capture
     * reconnects and hands the transaction again.
     */
    void committed(List<CapturedChange> changes) throws Exception;

    /**
     * The capture (re)connected. A durable capture resumes at its offset (changes may come again,
     * never with a gap); a capture started at the head of the log may have missed what was
     * committed while it was away, so a sink that keeps positions of its own catches up here.
     */
    default void connected() {
    }
}
