package io.flocker.volume;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The storage properties a volume may be created with: a short, checked set
 * of ZFS properties, {@code quota}, {@code recordsize} and {@code
 * compression}, and nothing else. Values are kept in one normal form (sizes
 * in bytes, {@code gzip-6} as {@code gzip}), the form ZFS reports them in, so
 * that properties read back from a pool compare equal to those given. An
 * instance is always valid: the constructor refuses anything else, naming
 * the option.
 *
 * @param values option name to value, as given or normalised
 */
public record VolumeProperties(SortedMap<String, String> values) {
    /** No properties: the pool's defaults. */
    public static final VolumeProperties NONE = new VolumeProperties(new TreeMap<>());

    /** The options there are. */
    public static final List<String> NAMES = List.of("quota", "recordsize", "compression");

    /** The smallest quota: a file system needs some room for its own metadata. */
    public static final long MIN_QUOTA = 1L << 20;
    /** The record sizes every OpenZFS pool takes (larger ones need a tunable). */
    public static final long MIN_RECORDSIZE = 512, MAX_RECORDSIZE = 1L << 20;

    private static final Set<String> COMPRESSION = Set.of("on", "off", "lzjb", "zle", "lz4", "zstd", "gzip",
        "gzip-1", "gzip-2", "gzip-3", "gzip-4", "gzip-5", "gzip-6", "gzip-7", "gzip-8", "gzip-9");
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)([KMGTP]?)(?:i?B)?", Pattern.CASE_INSENSITIVE);
    private static final String UNITS = "KMGTP";

    /** @throws InvalidVolumeOption naming the first option that is unknown or has a bad value */
    public VolumeProperties {
        Objects.requireNonNull(values, "values");
        SortedMap<String, String> checked = new TreeMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            String normal = normalise(e.getKey(), e.getValue());
            if (normal != null) checked.put(e.getKey(), normal);
        }
        values = Collections.unmodifiableSortedMap(checked);
    }

    /** The properties {@code options} ask for (Docker's {@code -o} options); null means none. */
    public static VolumeProperties of(Map<String, String> options) {
        return options == null || options.isEmpty() ? NONE : new VolumeProperties(new TreeMap<>(options));
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The value of option {@code name}, or null when it is not set. */
    public String get(String name) {
        return values.get(name);
    }

    /** A byte count option ({@code quota}, {@code recordsize}) as a number, or null when it is not set. */
    public Long bytes(String name) {
        String v = values.get(name);
        return v == null || name.equals("compression") ? null : Long.valueOf(v);
    }

    // The normal form of one option's value; null for "none", which asks for nothing.
    private static String normalise(String name, String value) {
        if (name == null || !NAMES.contains(name)) {
            throw new InvalidVolumeOption(name, "invalid volume option " + VolumeException.quote(name)
                + ": not an option flocker volumes take (they take quota, recordsize and compression)");
        }
        if (value == null || value.isEmpty()) {
            throw new InvalidVolumeOption(name, "invalid volume option " + VolumeException.quote(name) + ": no value ("
                + expected(name) + ")");
        }
        String refused = "invalid volume option " + VolumeException.quote(name + "=" + value) + ": ";
        switch (name) {
            case "compression" -> {
                String c = value.toLowerCase(Locale.ROOT);
                if (!COMPRESSION.contains(c)) throw new InvalidVolumeOption(name, refused + "not " + expected(name));
                return c.equals("gzip-6") ? "gzip" : c; // ZFS keeps gzip-6 as, and reports it as, gzip
            }
            case "quota" -> {
                if (value.equalsIgnoreCase("none")) return null;
                long q = size(value, name, refused);
                if (q < MIN_QUOTA) throw new InvalidVolumeOption(name, refused + "too small: at least 1M");
                return Long.toString(q);
            }
            default -> {
                long r = size(value, name, refused);
                if (r < MIN_RECORDSIZE || r > MAX_RECORDSIZE || Long.bitCount(r) != 1) {
                    throw new InvalidVolumeOption(name, refused + "not " + expected(name));
                }
                return Long.toString(r);
            }
        }
    }

    private static String expected(String name) {
        return switch (name) {
            case "quota" -> "a size like 10G, at least 1M, or none";
            case "recordsize" -> "a power of two from 512 to 1M, like 128K";
            default -> "one of on, off, lz4, zstd, gzip, gzip-1 to gzip-9, zle, lzjb";
        };
    }

    // "10G", "1.5T", "4096", "128KiB" -> bytes, as zfs(8) reads sizes.
    private static long size(String text, String name, String refused) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) throw new InvalidVolumeOption(name, refused + "not a size (" + expected(name) + ")");
        String unit = m.group(2).toUpperCase(Locale.ROOT);
        int power = unit.isEmpty() ? 0 : 10 * (UNITS.indexOf(unit) + 1);
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(2).pow(power));
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new InvalidVolumeOption(name, refused + "too large");
        }
        return bytes.longValue();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
