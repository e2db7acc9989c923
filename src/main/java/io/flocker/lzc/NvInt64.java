package io.flocker.lzc;

/**
 * A signed 64-bit nvlist value. {@link Nvlist} writes a plain {@code Long} as
 * uint64, which is what ZFS properties want; channel program arguments must be
 * int64, which this marks.
 */
public record NvInt64(long value) {}
