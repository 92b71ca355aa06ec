package io.gamestate.devstack.scorecard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gamestate.devstack.scorecard.ProcessSampler.Resident;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A watched tree's memory counts each process's own pages and the pages they share once; the CPU a
 * window used is each tree's and the machine's, read from real processes.
 */
class ProcessSamplerTest {

    @Test
    void readsPrivateAndSharedPagesFromStatus() {
        Resident resident = Resident.of(List.of("Name:\tpostgres", "VmRSS:\t  150 kB", "RssAnon:\t   40 kB",
                "RssFile:\t   10 kB", "RssShmem:\t  100 kB"));
        assertThat(resident).isEqualTo(new Resident(40, 110));
    }

    @Test
    void pagesTheProcessesOfATreeShareCountOnce() throws Exception {
        Process shell = new ProcessBuilder("sh", "-c", "sleep 30 & sleep 30 & wait").start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> ProcessSampler.tree(shell.pid()).size() == 3);
            List<Resident> members = ProcessSampler.tree(shell.pid()).stream().map(Resident::of).toList();
            double largest = members.stream().mapToDouble(r -> r.privateKiB() + r.sharedKiB()).max().orElseThrow();
            double everyResidentSet = members.stream().mapToDouble(r -> r.privateKiB() + r.sharedKiB()).sum();

            assertThat(members).allSatisfy(r -> assertThat(r.sharedKiB()).as("the C library, mapped by each").isPositive());
            assertThat(Resident.ofTree(members)).isGreaterThanOrEqualTo(largest).isLessThan(everyResidentSet);
        } finally {
            shell.descendants().forEach(ProcessHandle::destroy);
            shell.destroy();
        }
    }

    @Test
    void machineBusyTimeIsAllButIdleAndIowait() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        assertThat(ProcessSampler.machineBusyTicks("cpu  100 2 30 5000 40 6 7 8 50 0")).isEqualTo(100 + 2 + 30 + 6 + 7 + 8);
    }

    @Test
    void aWindowsCpuIsWhatEachTreeAndTheMachineUsedInIt() throws Exception {
        Process busy = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
        Process idle = new ProcessBuilder("sleep", "30").start();
        try (ProcessSampler sampler = new ProcessSampler(Map.of("busy", busy.pid(), "idle", idle.pid()))) {
            ProcessSampler.CpuUse used = sampler.markAfter(Duration.ofMillis(200)).get().until(awaitMark(sampler, Duration.ofSeconds(1)));
            Map<String, Double> cores = used.cores();

            assertThat(used.seconds()).isBetween(0.9, 1.5);
            assertThat(cores.get("busy")).as("a shell spinning on one core").isBetween(0.5, 1.1);
            assertThat(cores.get("idle")).isLessThan(0.05);
            assertThat(cores.get(ProcessSampler.MACHINE)).isGreaterThanOrEqualTo(cores.get("busy") - 0.05)
                    .isLessThanOrEqualTo(Runtime.getRuntime().availableProcessors() + 0.05);

            ProcessSampler.CpuUse twice = used.plus(used);
            assertThat(twice.seconds()).isEqualTo(2 * used.seconds());
            assertThat(twice.cores()).isEqualTo(cores);
        } finally {
            busy.destroy();
            idle.destroy();
        }
    }

    @Test
    void anAppendedWindowsCpuJoinsTheWindows() {
        WindowRecorder first = new WindowRecorder(0);
        first.addCpu(new ProcessSampler.CpuUse(2, Map.of("store", 300L, ProcessSampler.MACHINE, 360L)));
        WindowRecorder second = new WindowRecorder(0);
        second.addCpu(new ProcessSampler.CpuUse(2, Map.of("store", 100L, ProcessSampler.MACHINE, 200L)));

        assertThat(first.append(second).cpu().cores()).containsEntry("store", 1.0).containsEntry(ProcessSampler.MACHINE, 1.4);
    }

    private static ProcessSampler.CpuMark awaitMark(ProcessSampler sampler, Duration after) throws InterruptedException {
        Thread.sleep(after.toMillis() + 200);
        return sampler.mark();
    }
}
