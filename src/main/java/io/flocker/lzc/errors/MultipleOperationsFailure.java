package io.flocker.lzc.errors;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A call on several objects at once failed. The kernel reports one errno for
 * the call and, where it can, one per failing name: {@link #errors()} holds one
 * exception per failing name (or a single one without a name when the kernel
 * did not say which), {@link #suppressedCount()} how many more the kernel left
 * out of its list.
 */
public class MultipleOperationsFailure extends ZfsException {
    private static final long serialVersionUID = 1L;
    private final List<ZfsException> errors;
    private final int suppressedCount;

    public MultipleOperationsFailure(String reason, int errno, String operation,
                                     List<ZfsException> errors, int suppressedCount) {
        super(reason + ": " + summary(errors, suppressedCount), errno, operation, names(errors), null, false);
        this.errors = Collections.unmodifiableList(new ArrayList<>(errors));
        this.suppressedCount = suppressedCount;
    }

    private static List<String> names(List<ZfsException> errors) {
        List<String> n = new ArrayList<>();
        for (ZfsException e : errors) if (e.name() != null) n.add(e.name());
        return n;
    }

    private static String summary(List<ZfsException> errors, int suppressed) {
        List<String> parts = new ArrayList<>();
        for (ZfsException e : errors) {
            parts.add((e.name() != null ? e.name() + ": " : "") + e.reason()
                + (e.errno() != 0 ? " (" + e.errnoName() + ")" : ""));
        }
        String s = String.join("; ", parts);
        return suppressed > 0 ? s + "; and " + suppressed + " more" : s;
    }

    /** One exception per failing object. Never empty. */
    public List<ZfsException> errors() { return errors; }

    /** Failures the kernel counted but did not list. */
    public int suppressedCount() { return suppressedCount; }
}
