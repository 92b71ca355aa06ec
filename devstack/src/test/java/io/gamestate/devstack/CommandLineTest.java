package io.gamestate.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamestate.devstack.transfers.BareStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** devstack's command line as run.sh and the README use it, parsed without running anything. */
class CommandLineTest {

    @Test
    void runShInvocationsParse() {
        EmbeddedPostgresCommand postgres = parse(new EmbeddedPostgresCommand(), "--port=15432", "--data=target/embedded-postgres");
        assertThat(postgres.port).isEqualTo(15432);
        assertThat(postgres.dataDirectory).isEqualTo(Path.of("target/embedded-postgres"));

        RmwBenchmark bench = parse(new RmwBenchmark(), "--duration=3s", "--report=target/rmw-bench.txt");
        assertThat(bench.duration).isEqualTo(Duration.ofSeconds(3));
        assertThat(bench.report).isEqualTo(Path.of("target/rmw-bench.txt"));

        SlowRequestsCommand slow = parse(new SlowRequestsCommand(), "--zipkin=http://127.0.0.1:9411", "--lookback=95s", "--show=5");
        assertThat(slow.lookback).isEqualTo(Duration.ofSeconds(95));
        assertThat(slow.show).isEqualTo(5);
    }

    @Test
    void unsetOptionsTakeTheirDefaults() {
        RmwBenchmark bench = parse(new RmwBenchmark());
        assertThat(bench.duration).isEqualTo(Duration.ofSeconds(15));
        assertThat(bench.warmup).isEqualTo(Duration.ofSeconds(5));
        assertThat(bench.modes).containsExactly(RmwBenchmark.Mode.SINGLE, RmwBenchmark.Mode.BATCH, RmwBenchmark.Mode.QUERY,
                RmwBenchmark.Mode.ORM_LOOKUP, RmwBenchmark.Mode.SQL_LOOKUP);
        assertThat(bench.playerCount).isEqualTo(2000);

        SlowRequestsCommand slow = parse(new SlowRequestsCommand());
        assertThat(slow.lookback).isEqualTo(Duration.ofMinutes(10));
        assertThat(slow.slow.percentile).isEqualTo(99);
        assertThat(slow.slow.minMillis).isNull();
        assertThat(parse(new SlowRequestsCommand(), "--min-ms=50").slow.minMillis).isEqualTo(50);
    }

    @Test
    void transfersDefaultsAndNames() {
        ContendedTransfers transfers = parse(new ContendedTransfers());
        assertThat(transfers.playerCount).isEqualTo(20_000);
        assertThat(transfers.alphas).containsExactly(0.0, 1.5);
        assertThat(transfers.modes).containsExactly(ContendedTransfers.Mode.BARE, ContendedTransfers.Mode.SINGLE,
                ContendedTransfers.Mode.BATCHED);
        assertThat(transfers.concurrency).isEqualTo(32);
        assertThat(transfers.family).isEqualTo(BareStore.Family.POSTGRESQL);
        assertThat(transfers.out).isNull();

        assertThat(parse(new ContendedTransfers(), "--family=mysql", "--alpha=1.2").family).isEqualTo(BareStore.Family.MYSQL);
        assertThatThrownBy(() -> parse(new ContendedTransfers(), "--modes=bare,batch"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("'batch' is no mode");
        assertThatThrownBy(() -> parse(new ContendedTransfers(), "--family=mariadb"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("'mariadb' is no store family");
    }

    @Test
    void misspelledOrMalformedOptionsAreErrors() {
        assertThatThrownBy(() -> parse(new RmwBenchmark(), "--durations=30s"))
                .isInstanceOf(UnmatchedArgumentException.class).hasMessageContaining("--durations=30s");
        assertThatThrownBy(() -> parse(new RmwBenchmark(), "--duration=30"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("not a duration like 30s");
        assertThatThrownBy(() -> parse(new RmwBenchmark(), "--modes=single,batches"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("batches");
        assertThatThrownBy(() -> parse(new SlowRequestsCommand(), "--percentile=95", "--min-ms=50"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("mutually exclusive");
    }

    @Test
    void everyCommandHasHelpWithItsDefaults() {
        for (List<String> args : List.of(List.of("--help"), List.of("postgres", "--help"), List.of("bench", "-h"),
                List.of("transfers", "--help"), List.of("slow-requests", "--help"))) {
            StringWriter out = new StringWriter();
            CommandLine devstack = new CommandLine(new DevstackMain()).setOut(new PrintWriter(out));
            assertThat(devstack.execute(args.toArray(String[]::new))).as(String.join(" ", args)).isZero();
            assertThat(out.toString()).as(String.join(" ", args)).startsWith("Usage: devstack");
        }
        StringWriter out = new StringWriter();
        new CommandLine(new DevstackMain()).setOut(new PrintWriter(out)).execute("bench", "--help");
        assertThat(out.toString()).contains("--duration=<duration>", "Default: 15s");
    }

    @Test
    void noCommandIsAUsageError() {
        CommandLine devstack = new CommandLine(new DevstackMain()).setErr(new PrintWriter(new StringWriter()));
        assertThat(devstack.execute()).isEqualTo(2);
        assertThat(devstack.execute("benchmark")).isEqualTo(2);
    }

    private static <T> T parse(T command, String... args) {
        new CommandLine(command).parseArgs(args);
        return command;
    }
}
