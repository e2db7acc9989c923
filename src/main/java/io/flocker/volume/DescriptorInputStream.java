package io.flocker.volume;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FilterInputStream;

/**
 * An input stream that also tells its raw descriptor, so that storage can
 * have the kernel read a send stream straight from it (from standard input,
 * for {@code flocker-volume receive}) instead of copying it through the JVM.
 * Reading it from Java works as well.
 */
public final class DescriptorInputStream extends FilterInputStream {
    private final int fd;

    private DescriptorInputStream(FileInputStream in, int fd) {
        super(in);
        this.fd = fd;
    }

    /** Standard input, descriptor 0. Nothing must have read from System.in before. */
    public static DescriptorInputStream stdin() {
        return new DescriptorInputStream(new FileInputStream(FileDescriptor.in), 0);
    }

    /** The raw descriptor. */
    public int fd() {
        return fd;
    }
}
