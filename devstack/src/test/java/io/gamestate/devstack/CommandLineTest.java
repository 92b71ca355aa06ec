package io.gamestate.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamestate.devstack.scorecard.ScorecardCommand;
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

        PgReplicaCommand replica = parse(new PgReplicaCommand());
        assertThat(List.of(replica.primaryPort, replica.standbyPort)).containsExactly(14432, 14433);
        assertThat(replica.sync).isFalse();
        assertThat(parse(new PgReplicaCommand(), "--sync").sync).isTrue();

        SlowRequestsCommand slow = parse(new SlowRequestsCommand());
        assertThat(slow.lookback).isEqualTo(Duration.ofMinutes(10));
        assertThat(slow.slow.percentile).isEqualTo(99);
        assertThat(slow.slow.minMillis).isNull();
        assertThat(parse(new SlowRequestsCommand(), "--min-ms=50").slow.minMillis).isEqualTo(50);
    }

    @Test
    void scorecardDefaultsAndNames() {
        CommandLine scorecard = new CommandLine(new ScorecardCommand());
        scorecard.parseArgs("--store-label=embedded");
        assertThat(option(scorecard, "--transfer-players")).isEqualTo(20_000);
        assertThat(option(scorecard, "--alpha")).isEqualTo(List.of(0.0, 1.5));
        assertThat(option(scorecard, "--family")).isEqualTo(BareStore.Family.POSTGRESQL);
        assertThat(option(scorecard, "--world-sizes")).isEqualTo(List.of(10_000, 1_000_000));
        assertThat(option(scorecard, "--hot-pause")).isEqualTo(Duration.ofMillis(100));
        assertThat(option(scorecard, "--scenarios").toString())
                .isEqualTo("[contended-transfers, game-mix, cdc, hot-cell, ramp, gls-scaling, replication, reads-under-writes, failover]");

        CommandLine mysql = new CommandLine(new ScorecardCommand());
        mysql.parseArgs("--store-label=mariadb", "--family=mysql", "--scenarios=ramp,hot-cell");
        assertThat(option(mysql, "--family")).isEqualTo(BareStore.Family.MYSQL);
        assertThat(option(mysql, "--scenarios").toString()).isEqualTo("[ramp, hot-cell]");
        assertThatThrownBy(() -> new CommandLine(new ScorecardCommand()).parseArgs("--store-label=x", "--scenarios=hotcell"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("'hotcell' is no scenario");
        assertThatThrownBy(() -> new CommandLine(new ScorecardCommand()).parseArgs("--store-label=x", "--family=mariadb"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("'mariadb' is no store family");
        assertThatThrownBy(() -> new CommandLine(new ScorecardCommand()).parseArgs("--scenarios=ramp"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("--store-label");
    }

    @Test
    void enumsGoByHyphenatedNames() {
        assertThat(parse(new RmwBenchmark(), "--modes=orm-lookup,sql-lookup").modes)
                .containsExactly(RmwBenchmark.Mode.ORM_LOOKUP, RmwBenchmark.Mode.SQL_LOOKUP);
        assertThat(RmwBenchmark.Mode.ORM_LOOKUP).hasToString("orm-lookup");
        assertThatThrownBy(() -> parse(new RmwBenchmark(), "--modes=orm_lookup"))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("'orm_lookup' is no mode; choose from [single, batch, query, orm-lookup, sql-lookup]");
    }

    private static Object option(CommandLine command, String name) {
        return command.getCommandSpec().findOption(name).getValue();
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
                List.of("scorecard", "--help"), List.of("scorecard-report", "--help"), List.of("slow-requests", "--help"),
                List.of("check", "--help"))) {
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
