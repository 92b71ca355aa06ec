package io.gamestate.devstack;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** {@code --key=value} arguments with typed defaults. */
record Options(Map<String, String> values) {

    static Options parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("expected --key=value, got " + arg);
            }
            int eq = arg.indexOf('=');
            values.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        return new Options(values);
    }

    String text(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    int number(String key, int fallback) {
        return values.containsKey(key) ? Integer.parseInt(values.get(key)) : fallback;
    }

    Duration duration(String key, Duration fallback) {
        return values.containsKey(key) ? Duration.parse("PT" + values.get(key).toUpperCase()) : fallback;
    }
}
