package io.gamestate.devstack.scorecard.report;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The JSON Schema of a scenario file ({@code scorecard/scenario-report.schema.json} on the classpath). */
public final class ReportSchema {

    static final String RESOURCE = "/scorecard/scenario-report.schema.json";

    private final Schema schema;

    public ReportSchema() {
        try (InputStream in = ReportSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + RESOURCE);
            }
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What is wrong with one file's text, one line per error ("/results/0/latencyMs: required property 'p99' not found"); empty when valid. */
    public List<String> problems(String json) {
        return schema.validate(json, InputFormat.JSON).stream()
                .map(error -> error.toString())
                .toList();
    }
}
