package io.gamestate.devstack.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.devstack.faults.History.Entry;
import io.gamestate.devstack.faults.History.Fault;
import io.gamestate.devstack.faults.History.Outcome;
import io.gamestate.proto.state.v1.RmwResult;
import io.gamestate.proto.state.v1.RmwUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker's figures around a fault, on a timeline whose answer is known. */
class FaultTimingTest {

    /** 100 OK/s for 10 s, a 2 s fault with nothing answered, then 30 OK/s for 2 s, then 100 OK/s again for 5 s. */
    @Test
    void throughputBeforeDuringAndTheTimesToRecover() {
        List<Entry> entries = new ArrayList<>();
        long t0 = 1_000_000;
        okPerSecond(entries, t0, 10, 100);
        // Calls sent during the fault that only failed; then the first OK lands 2,010 ms after the fault began.
        entries.add(new Entry(t0 + 10_500, t0 + 11_000, Outcome.UNKNOWN, "UNAVAILABLE", unit("u"), null));
        okPerSecond(entries, t0 + 12_000, 2, 30);
        okPerSecond(entries, t0 + 14_000, 5, 100);
        Checker.FaultTiming t = Checker.timing(new Fault("kill node 2", t0 + 10_000, t0 + 12_000), entries);

        assertThat(t.okPerSecondBefore()).isCloseTo(100, org.assertj.core.data.Offset.offset(1.0)); // the run's first second is left out
        assertThat(t.okPerSecondDuring()).isZero();
        assertThat(t.firstOkMillis()).isEqualTo(2_010);
        assertThat(t.fullThroughputMillis()).isEqualTo(4_000);
    }

    /** count OK units in each of the seconds, the first landing 10 ms into each second. */
    private static void okPerSecond(List<Entry> entries, long from, int seconds, int count) {
        for (int s = 0; s < seconds; s++) {
            for (int i = 0; i < count; i++) {
                long end = from + s * 1000L + 10 + i * (980L / count);
                String id = "r" + end + "-" + i;
                entries.add(new Entry(end - 5, end, Outcome.OK, "OK", unit(id), RmwResult.newBuilder().setRequestId(id).build()));
            }
        }
    }

    private static RmwUnit unit(String id) {
        return RmwUnit.newBuilder().setRequestId(id).build();
    }
}
