package io.gamestate.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamestate.common.testing.JarProcess;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules the configuration check applies, on state-service's real application.properties. */
class DeclaredConfigTest {

    private final ServiceModule state = ServiceModule.of("state-service");

    @Test
    void environmentVariablesNamingADeclaredKeyOrPlaceholderAreAccepted() {
        DeclaredConfig declared = state.declared();

        assertThat(declared.problemWithEnvironmentVariable("GAMESTATE_DB_HOST", "store")).isNull();
        assertThat(declared.problemWithEnvironmentVariable("STATE_PORT", "9101")).isNull();
        assertThat(declared.problemWithEnvironmentVariable("QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE", "8")).isNull();
        assertThat(declared.problemWithEnvironmentVariable("GAMESTATE_ROLLOUT_MIGRATE_ONLY", "true")).isNull();
        assertThat(declared.problemWithEnvironmentVariable("QUARKUS_PROFILE", "mysql")).isNull();
        assertThat(declared.problemWithEnvironmentVariable("GAMESTATE_LIMITS_MAX_GOLD", "1000"))
                .as("a key whose default lives only in its @ConfigMapping").isNull();
    }

    @Test
    void misspelledEnvironmentVariablesAreRejected() {
        DeclaredConfig declared = state.declared();

        assertThat(declared.problemWithEnvironmentVariable("GAMESTATE_DB_HOTS", "store")).contains("names no key");
        assertThat(declared.problemWithEnvironmentVariable("QUARKUS_DATASOURCE_REACTIVE_MAXSIZE", "8")).contains("names no key");
        assertThat(declared.problemWithEnvironmentVariable("QUARKUS_PROFILE", "mysq")).contains("profile mysq");
    }

    @Test
    void theServedPortsFollowTheirVariables() {
        assertThat(state.grpcPortVariable()).isEqualTo("STATE_PORT");
        assertThat(state.httpPortVariable()).isEqualTo("STATE_HTTP_PORT");
        assertThat(state.grpcPort(Map.of("STATE_PORT", "9555"))).isEqualTo(9555);
        assertThat(state.grpcPort(Map.of())).isEqualTo(9101);
        assertThat(state.httpPort(Map.of("STATE_HTTP_PORT", "9556"))).isEqualTo(9556);
        assertThat(state.httpPort(Map.of())).isEqualTo(9111);
    }

    @Test
    void quarkusWarningsAboutUnknownKeysAreRead() {
        String log = "01:35:11.147 WARN  [io.qu.config] Unrecognized configuration key \"quarkus.flyway.migrat-at-start\""
                + " was provided; it will be ignored; verify that the dependency extension for this configuration is set";

        assertThat(JarProcess.unrecognizedConfigKeys(log)).containsExactly("quarkus.flyway.migrat-at-start");
    }
}
