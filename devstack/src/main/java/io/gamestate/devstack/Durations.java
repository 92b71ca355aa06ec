package io.gamestate.devstack;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations as run.sh writes them: {@code 30s}, {@code 10m}, {@code 1h30m}. */
final class Durations implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return Duration.parse("PT" + value.toUpperCase());
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + value + "' is not a duration like 30s, 10m or 1m30s");
        }
    }
}
