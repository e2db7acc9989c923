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
        int n = (int) wholeNumber(value, "", Integer.MAX_VALUE);
        if (n < 1) throw new TypeConversionException("'" + value + "' keeps nothing: at least 1 (the next push starts from the newest)");
        return n;
    }

    /** {@code value} as a whole number no larger than {@code max}; a usage error otherwise. */
    static long wholeNumber(String value, String unit, long max) {
        long n;
        try {
            n = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a whole number" + unit);
        }
        if (n > max) throw new TypeConversionException("'" + value + "' is too large: at most " + max);
        return n;
    }
}
