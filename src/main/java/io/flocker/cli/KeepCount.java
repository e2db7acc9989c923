package io.flocker.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The value of --keep: at least 1, refused while the command line is read
 * (a usage error naming the option), before anything connects or is sent.
 */
final class KeepCount implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
        int n;
        try {
            n = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a whole number");
        }
        if (n < 1) throw new TypeConversionException("'" + value + "' keeps nothing: at least 1 (the next push starts from the newest)");
        return n;
    }
}
