package io.gamestate.cdc;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The transactions a capture handed its sink, in commit order, each with the log position after
 * it, until the sink has taken them. The offset moves to the position after the newest
 * transaction taken along with every earlier one: it never passes a change the sink has not made
 * safe, while up to {@link #WINDOW} transactions are in flight (a relay pipelines its bus
 * acknowledgements instead of waiting one round trip per transaction). Used by one capture thread.
 *
 * @param <P> the log's position type
 */
final class HandedTransactions<P> {

    static final int WINDOW = 512;
    static final Duration TAKE_WAIT = Duration.ofSeconds(10);

    private record Handed<P>(CompletableFuture<?> taken, P after) {
    }

    private final ArrayDeque<Handed<P>> handed = new ArrayDeque<>();

    /** Records a transaction handed to the sink; with the window full, waits for the oldest to be taken. */
    void add(CompletionStage<?> taken, P after) throws Exception {
        handed.add(new Handed<>(taken.toCompletableFuture(), after));
        if (handed.size() > WINDOW) {
            await(handed.peek().taken());
        }
    }

    /**
     * The position after the newest transaction taken with every earlier one, or null when none
     * was since the last call. Throws what the sink failed with: the capture reconnects.
     */
    P taken() throws Exception {
        P after = null;
        while (!handed.isEmpty() && handed.peek().taken().isDone()) {
            Handed<P> next = handed.poll();
            await(next.taken());
            after = next.after();
        }
        return after;
    }

    /**
     * At the end of a session: waits for the transactions in flight in order, up to the first the
     * sink did not take; the position after the last one taken (null if none), as {@link #taken()}.
     */
    P settle() {
        P after = null;
        for (Handed<P> next; (next = handed.poll()) != null; ) {
            try {
                await(next.taken());
            } catch (Exception notTaken) {
                handed.clear();
                break;
            }
            after = next.after();
        }
        return after;
    }

    private static void await(CompletableFuture<?> taken) throws Exception {
        try {
            taken.get(TAKE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
