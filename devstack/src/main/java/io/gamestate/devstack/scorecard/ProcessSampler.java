package io.gamestate.devstack.scorecard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * CPU time and memory of watched processes over a scenario, from /proc (Linux). A watched process
 * counts with its descendants (PostgreSQL's backends are children of the postmaster): CPU is the
 * user + system time each used in the window, plus what children that ended in the window used
 * (reaped into their parent's cutime/cstime); memory is the resident set with shared pages counted
 * once (PostgreSQL's backends all map the same shared buffers): each process's private pages plus
 * the largest shared part of any one of them, sampled each second; the peak is reported.
 *
 * <p>Memory comes from the counters of {@code /proc/<pid>/status}. The kernel answers
 * {@code smaps_rollup} (the proportional set size) by walking the process's page tables under its
 * memory-map lock: sampling it each second cost this command a sixth of a core (31 s of CPU in
 * 187 s), on cores shared with what it measures.
 */
public final class ProcessSampler implements AutoCloseable {

    static final double TICKS_PER_SECOND = 100; // USER_HZ on Linux
    /** The name under which {@link CpuUse} counts every process of the machine. */
    public static final String MACHINE = "machine";

    private final Map<String, Long> roots;
    private final Map<String, Map<Long, Long>> ticksAtStart = new HashMap<>();
    private final Map<String, Long> reapedTicksAtStart = new HashMap<>();
    private final Map<String, Double> peakKiB = new HashMap<>();
    private final Map<String, Long> ticksUsed = new HashMap<>();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "process-sampler");
        t.setDaemon(true);
        return t;
    });

    /** Starts watching: process name to root pid. */
    public ProcessSampler(Map<String, Long> roots) {
        this.roots = new LinkedHashMap<>(roots);
        Map<Long, Stat> processes = processes();
        this.roots.forEach((name, root) -> {
            Map<Long, Long> ticks = new HashMap<>();
            for (long pid : tree(root, processes)) {
                ticks.put(pid, processes.get(pid).ticks());
            }
            ticksAtStart.put(name, ticks);
            Stat rootStat = processes.get(root);
            reapedTicksAtStart.put(name, rootStat == null ? 0 : rootStat.reapedTicks());
        });
        sample();
        sampler.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
    }

    /** CPU seconds and peak memory per watched name since the start. */
    public synchronized Map<String, ScenarioReport.Usage> usage() {
        sample();
        Map<String, ScenarioReport.Usage> usage = new LinkedHashMap<>();
        roots.forEach((name, root) -> usage.put(name, new ScenarioReport.Usage(ticksUsed.getOrDefault(name, 0L) / TICKS_PER_SECOND,
                peakKiB.getOrDefault(name, 0.0) / 1024, null, null)));
        return usage;
    }

    /** CPU used so far, per watched name and by the whole machine: two marks around a window give what each used in it. */
    public synchronized CpuMark mark() {
        sample();
        return new CpuMark(System.nanoTime(), Map.copyOf(ticksUsed), machineBusyTicks());
    }

    /** A {@link #mark} taken after {@code delay}: the start of a window that opens when its warm-up ends. */
    public CompletableFuture<CpuMark> markAfter(Duration delay) {
        CompletableFuture<CpuMark> mark = new CompletableFuture<>();
        sampler.schedule(() -> mark.complete(mark()), delay.toNanos(), TimeUnit.NANOSECONDS);
        return mark;
    }

    /** Ticks every core spent busy since boot (user, nice, system, interrupts, steal): the first line of /proc/stat. */
    static long machineBusyTicks() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/stat"))) {
            return machineBusyTicks(lines.findFirst().orElseThrow());
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** From "cpu user nice system idle iowait irq softirq steal guest ...": all but idle and iowait (guest time is in user already). */
    static long machineBusyTicks(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        long busy = 0;
        for (int field : new int[] {1, 2, 3, 6, 7, 8}) {
            busy += Long.parseLong(f[field]);
        }
        return busy;
    }

    /** CPU used so far: nanoTime of the mark, ticks per watched name since the sampler started, the machine's busy ticks. */
    public record CpuMark(long nanos, Map<String, Long> ticks, long machineTicks) {

        /** What each used from this mark to {@code later}. */
        public CpuUse until(CpuMark later) {
            Map<String, Long> used = new LinkedHashMap<>();
            later.ticks.forEach((name, t) -> used.put(name, t - ticks.getOrDefault(name, 0L)));
            used.put(MACHINE, later.machineTicks - machineTicks);
            return new CpuUse((later.nanos - nanos) / 1e9, used);
        }
    }

    /** CPU ticks each watched name, and the whole machine ({@link #MACHINE}), used over some seconds of windows. */
    public record CpuUse(double seconds, Map<String, Long> ticks) {

        /** This window's use and another's together, as one window as long as both. */
        public CpuUse plus(CpuUse other) {
            Map<String, Long> sum = new LinkedHashMap<>(ticks);
            other.ticks.forEach((name, t) -> sum.merge(name, t, Long::sum));
            return new CpuUse(seconds + other.seconds, sum);
        }

        /** Average cores in use over the windows, by name. */
        public Map<String, Double> cores() {
            Map<String, Double> cores = new LinkedHashMap<>();
            ticks.forEach((name, t) -> cores.put(name, Math.round(t / TICKS_PER_SECOND / seconds * 1000) / 1000.0));
            return cores;
        }
    }

    /** CPU ticks of a watched tree (root first, alive) since the start. */
    private long ticksSinceStart(String name, List<Long> tree, Map<Long, Stat> processes) {
        Map<Long, Long> start = ticksAtStart.get(name);
        long ticks = processes.get(tree.get(0)).reapedTicks() - reapedTicksAtStart.get(name);
        for (long pid : tree) {
            ticks += processes.get(pid).ticks() - start.getOrDefault(pid, 0L);
        }
        return ticks;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }

    /**
     * Memory, and CPU so far: a process killed during the scenario counts up to its last sample.
     * One pass over /proc serves every watched tree.
     */
    private synchronized void sample() {
        Map<Long, Stat> processes = processes();
        roots.forEach((name, root) -> {
            List<Long> tree = tree(root, processes);
            if (!tree.isEmpty()) {
                ticksUsed.put(name, ticksSinceStart(name, tree, processes));
            }
            peakKiB.merge(name, Resident.ofTree(tree.stream().map(Resident::of).toList()), Math::max);
        });
    }

    /** The process and its descendants that are alive now. */
    static List<Long> tree(long root) {
        return tree(root, processes());
    }

    /** The process and its descendants among the given ones; empty when it is not among them. */
    static List<Long> tree(long root, Map<Long, Stat> processes) {
        List<Long> tree = new ArrayList<>();
        if (!processes.containsKey(root)) {
            return tree;
        }
        Map<Long, List<Long>> children = new HashMap<>();
        processes.forEach((pid, stat) -> children.computeIfAbsent(stat.parent(), p -> new ArrayList<>()).add(pid));
        tree.add(root);
        for (int i = 0; i < tree.size(); i++) {
            tree.addAll(children.getOrDefault(tree.get(i), List.of()));
        }
        return tree;
    }

    /** Every live process's stat, by pid. */
    static Map<Long, Stat> processes() {
        Map<Long, Stat> processes = new HashMap<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            entries.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit)).forEach(n -> {
                long pid = Long.parseLong(n);
                Stat stat = stat(pid);
                if (stat != null) {
                    processes.put(pid, stat);
                }
            });
        } catch (IOException e) {
            return Map.of();
        }
        return processes;
    }

    /** The fields of /proc/pid/stat the sampler reads: parent, own CPU ticks, ticks of reaped children. */
    record Stat(long parent, long ticks, long reapedTicks) {
    }

    /** Null when the process is gone. */
    static Stat stat(long pid) {
        return stat(Path.of("/proc", Long.toString(pid)));
    }

    /** A process's or a thread's ({@code /proc/<pid>/task/<tid>}) stat; null when it is gone. */
    static Stat stat(Path procEntry) {
        try {
            String line = Files.readString(procEntry.resolve("stat"));
            // The command name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
            String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state): ppid is field 4, utime 14, stime 15, cutime 16, cstime 17.
            return new Stat(Long.parseLong(f[1]), Long.parseLong(f[11]) + Long.parseLong(f[12]),
                    Long.parseLong(f[13]) + Long.parseLong(f[14]));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** A process's resident pages in KiB: its own (anonymous) ones and those it maps from files or shared memory. */
    record Resident(double privateKiB, double sharedKiB) {

        /** From /proc/pid/status; nothing when the process is gone. */
        static Resident of(long pid) {
            try {
                return of(Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")));
            } catch (IOException | RuntimeException e) {
                return new Resident(0, 0);
            }
        }

        static Resident of(List<String> status) {
            double privateKiB = 0;
            double sharedKiB = 0;
            for (String line : status) {
                if (line.startsWith("RssAnon:")) {
                    privateKiB = kib(line);
                } else if (line.startsWith("RssFile:") || line.startsWith("RssShmem:")) {
                    sharedKiB += kib(line);
                }
            }
            return new Resident(privateKiB, sharedKiB);
        }

        /** Every process's private pages, and the shared ones once: as much as the process that maps the most of them. */
        static double ofTree(List<Resident> processes) {
            return processes.stream().mapToDouble(Resident::privateKiB).sum()
                    + processes.stream().mapToDouble(Resident::sharedKiB).max().orElse(0);
        }

        private static double kib(String line) {
            return Double.parseDouble(line.replaceAll("[^0-9]", ""));
        }
    }
}
