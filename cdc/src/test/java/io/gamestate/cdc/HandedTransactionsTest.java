package io.gamestate.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The offset follows what the sink took, in commit order, never past a transaction still in flight. */
class HandedTransactionsTest {

    @Test
    void theOffsetStopsAtTheOldestTransactionNotTakenYet() throws Exception {
        HandedTransactions<Integer> handed = new HandedTransactions<>();
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> second = new CompletableFuture<>();
        handed.add(first, 1);
        handed.add(second, 2);
        handed.add(ChangeSink.TAKEN, 3);
        assertThat(handed.taken()).isNull();

        second.complete(null); // taken out of order: the offset still waits for the first
        assertThat(handed.taken()).isNull();
        first.complete(null);
        assertThat(handed.taken()).isEqualTo(3);
        assertThat(handed.taken()).isNull();
    }

    @Test
    void aTransactionTheSinkFailedIsThrownAndNeverPassed() throws Exception {
        HandedTransactions<Integer> handed = new HandedTransactions<>();
        handed.add(ChangeSink.TAKEN, 1);
        handed.add(CompletableFuture.failedFuture(new IllegalStateException("no ack from the bus")), 2);
        handed.add(ChangeSink.TAKEN, 3);
        assertThatThrownBy(handed::taken).isInstanceOf(IllegalStateException.class).hasMessage("no ack from the bus");

        HandedTransactions<Integer> ending = new HandedTransactions<>();
        ending.add(ChangeSink.TAKEN, 1);
        ending.add(CompletableFuture.failedFuture(new IllegalStateException("no ack from the bus")), 2);
        ending.add(ChangeSink.TAKEN, 3);
        assertThat(ending.settle()).isEqualTo(1);
    }
}
