package io.gamestate.devstack.scorecard.report;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The criteria this machine cannot measure (licence, operations, managed offerings, fault
 * tolerance, isolation, CDC mechanism, data-model fit, Elixir drivers), one sourced fact per
 * product, from {@code scorecard/documented.json}: the one home of those facts.
 */
@JsonIgnoreProperties("description") // the file's own note to its readers
public record DocumentedFacts(String checked, List<Product> products, List<Criterion> criteria) {

    static final String RESOURCE = "/scorecard/documented.json";

    /**
     * @param id          key of the product's cells
     * @param name        what a column shows
     * @param storeLabels the scorecard store labels that run this product here (embedded, postgres...)
     * @param notRunnableHere why it cannot run on this machine; null when it can
     */
    public record Product(String id, String name, List<String> storeLabels, String notRunnableHere) {
    }

    public record Criterion(String name, Map<String, Fact> cells) {
    }

    /** A documented fact and the official page it comes from. */
    public record Fact(String text, String source) {
    }

    public static DocumentedFacts load() {
        try (InputStream in = DocumentedFacts.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + RESOURCE);
            }
            return new ObjectMapper().readValue(in, DocumentedFacts.class);
        } catch (IOException e) {
            throw new ScorecardException(RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /** The product a measured store label runs, if the facts know it. */
    public Optional<Product> productOf(String storeLabel) {
        return products.stream().filter(p -> p.storeLabels().contains(storeLabel)).findFirst();
    }
}
