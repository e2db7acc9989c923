package io.flocker.cli;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A timeout given in whole seconds, at least 1: refused while the command line is read. */
final class Seconds implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        long n = KeepCount.wholeNumber(value, " of seconds", 86_400);
        if (n < 1) throw new TypeConversionException("'" + value + "' seconds: from 1 to 86400");
        return Duration.ofSeconds(n);
    }
}
