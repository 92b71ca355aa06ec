package io.gamestate.devstack.scorecard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gamestate.devstack.scorecard.ProcessSampler.Resident;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A watched tree's memory counts each process's own pages and the pages they share once, read from real processes. */
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
}
