package io.flocker.lzc.errors;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A libzfs_core call failed, or was refused before it reached the kernel.
 *
 * <p>Every instance keeps the kernel's errno (0 when the binding refused the
 * input itself), the operation that failed and the names it was given, so a
 * caller can act on the type and still log exactly what the kernel said. The
 * subclasses name the conditions a caller can act on; which one a given errno
 * becomes depends on the call, the way pyzfs translates per call.
 */
public class ZfsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int errno;
    private final String operation;
    private final List<String> names;
    private final String reason;

    /**
     * @param reason what went wrong, in words a user can act on
     * @param errno the kernel's errno, or 0 when the binding refused the input
     * @param operation the libzfs_core call, without the {@code lzc_} prefix
     * @param names the names the call was given that this error is about; nulls are dropped
     */
    public ZfsException(String reason, int errno, String operation, String... names) {
        this(reason, errno, operation, Arrays2.nonNull(names), null);
    }

    public ZfsException(String reason, int errno, String operation, List<String> names, Throwable cause) {
        this(reason, errno, operation, names, cause, true);
    }

    /** For subclasses whose reason already carries the errno (one per failing name). */
    ZfsException(String reason, int errno, String operation, List<String> names, Throwable cause, boolean showErrno) {
        super(message(reason, showErrno ? errno : 0, operation, names), cause);
        this.reason = Objects.requireNonNull(reason);
        this.errno = errno;
        this.operation = operation;
        this.names = Collections.unmodifiableList(new ArrayList<>(names));
    }

    private static String message(String reason, int errno, String operation, List<String> names) {
        StringBuilder b = new StringBuilder();
        if (operation != null) b.append(operation);
        if (!names.isEmpty()) b.append(b.length() > 0 ? " " : "").append(String.join(", ", names));
        if (b.length() > 0) b.append(": ");
        b.append(reason);
        if (errno != 0) b.append(" (").append(Errno.name(errno)).append(')');
        return b.toString();
    }

    /** The kernel's errno, or 0 when the binding refused the input before any call. */
    public int errno() { return errno; }

    /** The symbolic name of {@link #errno()}, such as {@code EEXIST}. */
    public String errnoName() { return Errno.name(errno); }

    /** The libzfs_core operation, such as {@code create} or {@code snapshot}. */
    public String operation() { return operation; }

    /** The dataset, snapshot, bookmark or pool names this error concerns. */
    public List<String> names() { return names; }

    /** The first of {@link #names()}, or null when the kernel could not say which. */
    public String name() { return names.isEmpty() ? null : names.get(0); }

    /** The reason alone, without operation, names and errno. */
    public String reason() { return reason; }

    /** Small helper kept here so every subclass builds its name list alike. */
    static final class Arrays2 {
        private Arrays2() {}
        static List<String> nonNull(String... names) {
            List<String> out = new ArrayList<>();
            if (names != null) for (String n : names) if (n != null) out.add(n);
            return out;
        }
    }
}
