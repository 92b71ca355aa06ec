package io.gamestate.devstack;

import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The names the commands' enums go by on the command line, in reports and in file names: the
 * constant's name in lower case with hyphens, {@code KILL_NODE} as {@code kill-node}. An enum
 * returns {@link #of} from its {@code toString} and converts its options with a subclass
 * (picocli's own conversion knows only the Java names).
 */
public abstract class EnumNames<E extends Enum<E>> implements ITypeConverter<E> {

    private final Class<E> type;
    private final String what;

    /** {@code what} names the option's kind in the error: "'x' is no mode; choose from [...]". */
    protected EnumNames(Class<E> type, String what) {
        this.type = type;
        this.what = what;
    }

    public static String of(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public E convert(String value) {
        E[] values = type.getEnumConstants();
        return Arrays.stream(values).filter(v -> of(v).equals(value)).findFirst()
                .orElseThrow(() -> new TypeConversionException("'" + value + "' is no " + what + "; choose from "
                        + Arrays.stream(values).map(EnumNames::of).toList()));
    }
}
