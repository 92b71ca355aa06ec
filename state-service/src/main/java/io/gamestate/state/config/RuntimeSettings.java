package io.gamestate.state.config;

import io.quarkus.info.runtime.spi.InfoContributor;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The settings a benchmark figure depends on, under {@code gamestate} in {@code /q/info}: the
 * scorecard records them beside every figure it measures, as this instance runs them.
 */
@Singleton
public class RuntimeSettings implements InfoContributor {

    /** Both families: PostgreSQL's default, and what ReadCommittedMySqlPool sets on MySQL-family connections. */
    static final String ISOLATION = "READ COMMITTED";

    private final StateConfig config;
    private final String storeKind;
    private final int poolSize;
    private final boolean tracing;
    private final String sampler;

    RuntimeSettings(StateConfig config,
            @ConfigProperty(name = "quarkus.datasource.db-kind") String storeKind,
            @ConfigProperty(name = "quarkus.datasource.reactive.max-size") int poolSize,
            @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "false") boolean tracingDisabled,
            @ConfigProperty(name = "quarkus.otel.traces.sampler.arg") String sampler) {
        this.config = config;
        this.storeKind = storeKind;
        this.poolSize = poolSize;
        this.tracing = !tracingDisabled;
        this.sampler = sampler;
    }

    @Override
    public String name() {
        return "gamestate";
    }

    @Override
    public Map<String, Object> data() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("storeKind", storeKind);
        data.put("isolation", ISOLATION);
        data.put("poolSize", poolSize);
        data.put("groupCommitTransactions", config.rmw().groupCommit().maxTransactions());
        data.put("groupCommitMaxUnits", config.rmw().groupCommit().maxUnits());
        data.put("maxBatchSize", config.rmw().maxBatchSize());
        data.put("automaticPartitioning", config.partition().automatic());
        data.put("tracing", tracing);
        data.put("traceSampleRatio", sampler);
        return data;
    }
}
