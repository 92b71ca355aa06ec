package io.gamestate.devstack.scorecard;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * One measured window: the latency of every call, the operations it carried (units, transfers,
 * queries), answers by status code and retries, overall and per second of the window. Calls that
 * started before the window (the warm-up) are not recorded.
 */
public final class WindowRecorder {

    private volatile long windowStart;
    private final Histogram latencies = new ConcurrentHistogram(3); // nanoseconds, three significant digits
    private final LongAdder operations = new LongAdder();
    private final Map<String, LongAdder> retriesByClass = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errorsByCode = new ConcurrentHashMap<>();
    private final Map<Integer, Second> seconds = new ConcurrentHashMap<>();
    private volatile long lastCompletion;
    /** The length of the windows {@link #append}ed to this one. */
    private double appendedSeconds;
    /** What the watched processes and the machine used in the window, when measured. */
    private ProcessSampler.CpuUse cpu;

    /** One second of the window. */
    public record Second(Histogram latencies, LongAdder operations, LongAdder errors) {
        Second() {
            this(new ConcurrentHistogram(3), new LongAdder(), new LongAdder());
        }
    }

    public WindowRecorder(long windowStartNanos) {
        this.windowStart = windowStartNanos;
        this.lastCompletion = windowStartNanos;
    }

    /** A window that opens when a warm-up of unknown length ends: nothing is recorded before {@link #open}. */
    public WindowRecorder() {
        this(Long.MAX_VALUE);
    }

    public void open(long windowStartNanos) {
        lastCompletion = windowStartNanos;
        windowStart = windowStartNanos;
    }

    public boolean inWindow(long callStartNanos) {
        return callStartNanos >= windowStart;
    }

    /** A call that started at callStart and carried this many operations (failed ones included). */
    public void call(long callStartNanos, int operationsCarried) {
        call(callStartNanos, System.nanoTime(), operationsCarried);
    }

    /** A call that ran from start to end (both {@link System#nanoTime}), as an external driver's log tells. */
    public void call(long callStartNanos, long callEndNanos, int operationsCarried) {
        if (!inWindow(callStartNanos)) {
            return;
        }
        latencies.recordValue(callEndNanos - callStartNanos);
        operations.add(operationsCarried);
        Second second = second(callEndNanos);
        second.latencies().recordValue(callEndNanos - callStartNanos);
        second.operations().add(operationsCarried);
        lastCompletion = Math.max(lastCompletion, callEndNanos);
    }

    public void error(long callStartNanos, String code) {
        if (inWindow(callStartNanos)) {
            errorsByCode.computeIfAbsent(code, c -> new LongAdder()).increment();
            second(callStartNanos).errors().increment(); // the second the call started in: external drivers log no end for failures
        }
    }

    /** Attempts the call lost and retried, by what made it retry (deadlock, serialization...). */
    public void retries(long callStartNanos, String cause, int count) {
        if (inWindow(callStartNanos) && count > 0) {
            retriesByClass.computeIfAbsent(cause, c -> new LongAdder()).add(count);
        }
    }

    private Second second(long nanos) {
        return seconds.computeIfAbsent((int) ((nanos - windowStart) / 1_000_000_000L), s -> new Second());
    }

    /** From the window's start to the last completion (calls in flight at its end still count), and the windows appended. */
    public double seconds() {
        return (lastCompletion - windowStart) / 1e9 + appendedSeconds;
    }

    /**
     * Adds a later window, recorded and closed, as if it followed this one: its calls, answers and
     * retries join this window's, its length adds to this one's, and its seconds follow this one's
     * in the per-second series.
     */
    public WindowRecorder append(WindowRecorder later) {
        latencies.add(later.latencies);
        operations.add(later.operations());
        later.errorsByCode.forEach((code, count) -> errorsByCode.computeIfAbsent(code, c -> new LongAdder()).add(count.sum()));
        addRetries(later.retriesByClass());
        int firstFree = seconds.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        later.seconds.forEach((second, s) -> seconds.put(firstFree + second, s));
        appendedSeconds += later.seconds();
        if (later.cpu != null) {
            addCpu(later.cpu);
        }
        return this;
    }

    /** CPU used in the window (or in one more of the windows appended): the row reports cores in use. */
    public void addCpu(ProcessSampler.CpuUse used) {
        cpu = cpu == null ? used : cpu.plus(used);
    }

    /** CPU used in the window; null when not measured. */
    public ProcessSampler.CpuUse cpu() {
        return cpu;
    }

    public Histogram latencies() {
        return latencies;
    }

    public long operations() {
        return operations.sum();
    }

    public long errors() {
        return errorsByCode.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public Map<String, Long> errorsByCode() {
        Map<String, Long> out = new TreeMap<>();
        errorsByCode.forEach((code, count) -> out.put(code, count.sum()));
        return out;
    }

    public Map<String, Long> retriesByClass() {
        Map<String, Long> out = new TreeMap<>();
        retriesByClass.forEach((cause, count) -> out.put(cause, count.sum()));
        return out;
    }

    /** Retries counted by the service itself over the window (its metrics), by cause. */
    public void addRetries(Map<String, Long> byCause) {
        byCause.forEach((cause, count) -> {
            if (count > 0) {
                retriesByClass.computeIfAbsent(cause, c -> new LongAdder()).add(count);
            }
        });
    }

    /** The window's seconds in order. */
    public Map<Integer, Second> perSecond() {
        return new TreeMap<>(seconds);
    }

    public double millisAt(double percentile) {
        return latencies.getTotalCount() == 0 ? Double.NaN : latencies.getValueAtPercentile(percentile) / 1e6;
    }
}
