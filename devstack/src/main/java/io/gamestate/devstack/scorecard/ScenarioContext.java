package io.gamestate.devstack.scorecard;

import io.gamestate.devstack.transfers.BareStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a scenario runs with: the store with no service in between, the measured and warm-up
 * lengths, and where its rows' per-second series go.
 *
 * @param store     the store straight over JDBC (bare-store figures, invariants)
 * @param directory where the scenario's JSON and CSVs are written
 * @param scenario  the scenario's name, which starts its CSVs' names
 * @param warmup    unmeasured load before each measured window; the shortest, where a scenario warms up until the
 *                  JIT compilers are idle
 * @param duration  length of each measured window
 * @param compilers the JIT compilers of the suite's JVMs and the load generator's
 * @param processes the watched processes' CPU and memory over the scenario; null where the scenario's rows report none
 */
public record ScenarioContext(BareStore store, Path directory, String scenario, Duration warmup, Duration duration,
                              JitCompilers compilers, ProcessSampler processes) {

    /** Retry causes that are the store aborting a transaction: deadlocks, serialization and certification failures, lock timeouts. */
    private static final Pattern STORE_ABORT = Pattern.compile("(?i)deadlock|serializ|certification|lock wait|conflict");

    /**
     * A measured window as a report row; its per-second series is written beside the JSON as
     * {@code <scenario>-<variant>[-<label>-<value>...].csv}.
     */
    public ScenarioReport.Result result(String variant, Map<String, Object> labels, String unit, WindowRecorder recorder)
            throws IOException {
        if (recorder.operations() == 0) {
            throw new IllegalStateException(scenario + " " + variant + " " + labels + ": no call completed in the measured window");
        }
        String series = (scenario + "-" + variant + labels.entrySet().stream()
                .map(e -> "-" + e.getKey() + "-" + e.getValue()).collect(Collectors.joining()))
                .replaceAll("[^A-Za-z0-9.-]", "_") + ".csv";
        List<String> csv = new ArrayList<>();
        csv.add("second,throughput,p50_ms,p99_ms,errors");
        recorder.perSecond().forEach((second, s) -> csv.add(String.format(Locale.ROOT, "%d,%d,%.3f,%.3f,%d", second,
                s.operations().sum(), s.latencies().getValueAtPercentile(50) / 1e6,
                s.latencies().getValueAtPercentile(99) / 1e6, s.errors().sum())));
        Files.createDirectories(directory);
        Files.write(directory.resolve(series), csv);

        Map<String, Long> answers = new TreeMap<>(recorder.errorsByCode());
        answers.put("OK", recorder.operations() - recorder.errors());
        double seconds = recorder.seconds();
        ScenarioReport.Latency latency = new ScenarioReport.Latency(recorder.millisAt(50), recorder.millisAt(95),
                recorder.millisAt(99), recorder.millisAt(99.9), recorder.latencies().getMaxValue() / 1e6,
                recorder.latencies().getMean() / 1e6);
        return new ScenarioReport.Result(variant, labels, unit, seconds, recorder.operations(),
                recorder.operations() / seconds, (recorder.operations() - recorder.errors()) / seconds, latency, answers,
                recorder.retriesByClass(), aborts(recorder.retriesByClass()), series,
                recorder.cpu() == null ? null : recorder.cpu().cores());
    }

    /**
     * Runs a window whose measured part starts after {@code warmup} and notes in its recorder what
     * CPU each watched process and the machine used from then until it returns.
     */
    public WindowRecorder measuringCpu(Duration warmup, Callable<WindowRecorder> window) throws Exception {
        if (processes == null) {
            return window.call();
        }
        CompletableFuture<ProcessSampler.CpuMark> start = processes.markAfter(warmup);
        WindowRecorder recorder = window.call();
        recorder.addCpu(start.get().until(processes.mark()));
        return recorder;
    }

    /** Of the retries, those the store forced by aborting a transaction (not the service's own re-planning). */
    static Map<String, Long> aborts(Map<String, Long> retriesByClass) {
        Map<String, Long> aborts = new TreeMap<>();
        retriesByClass.forEach((cause, count) -> {
            if (STORE_ABORT.matcher(cause).find()) {
                aborts.put(cause, count);
            }
        });
        return aborts;
    }
}
