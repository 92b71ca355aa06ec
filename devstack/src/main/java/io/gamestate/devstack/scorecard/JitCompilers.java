package io.gamestate.devstack.scorecard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The JIT compiler threads of the watched JVMs (the services and the load generator), from /proc
 * (Linux): a warm-up lasts until they are idle. On two cores shared by three JVMs, code paths that
 * a few hundred requests a second exercise reach the compile thresholds slowly, and the compilers
 * take the cores the measured calls need for a minute or more: a fixed warm-up measures the JIT.
 */
public final class JitCompilers {

    /** All watched JVMs' compiler threads together, in cores, under which a warm-up pass counts as idle. */
    static final double IDLE_CORES = 0.10;

    private final List<Long> roots;
    private final Duration longest;

    /** Warm-ups end after at most {@code longest}, idle or not. */
    public JitCompilers(Collection<Long> roots, Duration longest) {
        this.roots = List.copyOf(roots);
        this.longest = longest;
    }

    /** The longest warm-up. */
    public Duration longest() {
        return longest;
    }

    /** How a warm-up ended: its length, the compilers' use of the CPU through its last pass, and whether that was idle. */
    public record Warmup(Duration took, double compilerCores, boolean idle) {

        /** As a report's findings. */
        public Map<String, Double> findings() {
            return Map.of("warmupSeconds", took.toMillis() / 1000.0, "warmupLastPassCompilerCores", compilerCores);
        }
    }

    /**
     * Runs {@code pass} (load for some time) again and again until the compilers stayed idle
     * through a whole pass, or until the warm-up has lasted its longest.
     */
    public Warmup repeatUntilIdle(Runnable pass) {
        long start = System.nanoTime();
        while (true) {
            long passStart = System.nanoTime();
            Map<Long, Long> before = compilerTicks();
            pass.run();
            double seconds = (System.nanoTime() - passStart) / 1e9;
            double cores = seconds <= 0 ? 0 : ticksSince(before) / ProcessSampler.TICKS_PER_SECOND / seconds;
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            if (cores < IDLE_CORES || took.compareTo(longest) >= 0) {
                return new Warmup(took, cores, cores < IDLE_CORES);
            }
        }
    }

    /** Compiler ticks since {@code before}; a thread that ended since (the JVM stops idle compiler threads) loses its share. */
    private long ticksSince(Map<Long, Long> before) {
        long ticks = 0;
        for (Map.Entry<Long, Long> thread : compilerTicks().entrySet()) {
            ticks += thread.getValue() - before.getOrDefault(thread.getKey(), 0L);
        }
        return ticks;
    }

    /** CPU ticks of every compiler thread of the watched processes and their descendants, by thread id. */
    Map<Long, Long> compilerTicks() {
        Map<Long, Long> ticks = new HashMap<>();
        for (long root : roots) {
            for (long pid : ProcessSampler.tree(root)) {
                try (Stream<Path> threads = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
                    threads.filter(JitCompilers::compiler).forEach(thread -> {
                        ProcessSampler.Stat stat = ProcessSampler.stat(thread);
                        if (stat != null) {
                            ticks.put(Long.parseLong(thread.getFileName().toString()), stat.ticks());
                        }
                    });
                } catch (IOException e) {
                    // the process ended: nothing of it to count
                }
            }
        }
        return ticks;
    }

    /** HotSpot names them "C1 CompilerThread0", "C2 CompilerThread1"...; Linux keeps 15 characters. */
    private static boolean compiler(Path thread) {
        try {
            String name = Files.readString(thread.resolve("comm"));
            return name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler");
        } catch (IOException e) {
            return false;
        }
    }
}
