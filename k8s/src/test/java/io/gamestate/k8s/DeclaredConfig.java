package io.gamestate.k8s;

import java.io.IOException;
import java.io.StringReader;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a service declares: the keys of its packaged application.properties (profile prefixes
 * dropped) and of its {@code @ConfigMapping} interfaces,
 * the keys it refers to as {@code ${key:default}}, the environment variables it reads as
 * {@code ${ENV:default}}, and its profiles. An environment variable in a manifest must name one of
 * these, or it sets nothing: Quarkus maps a variable to a key only when it knows the key, and
 * never warns about one it ignores.
 */
record DeclaredConfig(Set<String> keys, Set<String> environmentVariables, Set<String> profiles, Properties values) {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}");
    private static final Pattern ENVIRONMENT_NAME = Pattern.compile("[A-Z][A-Z0-9_]*");
    private static final Pattern PROFILE_PREFIX = Pattern.compile("^%([^.]+)\\.");
    /** Quarkus's profile selector: read from the environment, but not a configuration key. */
    static final String PROFILE_VARIABLE = "QUARKUS_PROFILE";
    private static final String DEFAULT_PROFILE = "prod";

    static DeclaredConfig parse(String propertiesText, Set<String> mappedKeys) {
        Properties properties = load(propertiesText);
        Set<String> keys = new TreeSet<>(mappedKeys);
        Set<String> environment = new TreeSet<>();
        Set<String> profiles = new TreeSet<>(Set.of(DEFAULT_PROFILE));
        for (String key : properties.stringPropertyNames()) {
            Matcher profile = PROFILE_PREFIX.matcher(key);
            if (profile.find()) {
                profiles.add(profile.group(1));
            }
            keys.add(profile.replaceFirst(""));
            Matcher reference = REFERENCE.matcher(properties.getProperty(key));
            while (reference.find()) {
                String name = reference.group(1);
                (ENVIRONMENT_NAME.matcher(name).matches() ? environment : keys).add(name);
            }
        }
        return new DeclaredConfig(keys, environment, profiles, properties);
    }

    /** Why a variable set to this value configures nothing this service knows, or null when it does. */
    String problemWithEnvironmentVariable(String name, String value) {
        if (name.equals(PROFILE_VARIABLE)) {
            return profiles.contains(value) ? null : "profile " + value + " is none of " + profiles;
        }
        if (environmentVariables.contains(name) || keys.stream().map(DeclaredConfig::environmentName).anyMatch(name::equals)) {
            return null;
        }
        return "names no key of the service's configuration mappings or application.properties (nor a ${" + name
                + "} it reads)";
    }

    /** The environment variable Quarkus maps to a key: every non-alphanumeric character an underscore, upper case. */
    static String environmentName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** A declared value with its ${ENV:default} and ${key:default} references resolved against the environment. */
    String resolve(String key, Map<String, String> environment) {
        String raw = values.getProperty(key);
        if (raw == null) {
            throw new AssertionError("no " + key + " in application.properties");
        }
        Matcher reference = REFERENCE.matcher(raw);
        StringBuilder resolved = new StringBuilder();
        while (reference.find()) {
            String name = reference.group(1);
            String value = environment.getOrDefault(name, environment.get(environmentName(name)));
            if (value == null) {
                value = reference.group(2);
            }
            if (value == null) {
                throw new AssertionError(key + " refers to " + name + ", which is not set");
            }
            reference.appendReplacement(resolved, Matcher.quoteReplacement(value));
        }
        return reference.appendTail(resolved).toString();
    }

    static Properties load(String propertiesText) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(propertiesText));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return properties;
    }
}
