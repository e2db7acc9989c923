package io.flocker.lzc;

import io.flocker.lzc.errors.ZfsException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The checks made here before a call on several objects (snapshot, hold,
 * bookmark...), gathered: every name or value that cannot be sent is
 * reported at once, inside the call's own failure, as the kernel's refusals
 * are. A caller that catches what the call documents then sees these too.
 */
final class Prechecks {
    private final List<ZfsException> failures = new ArrayList<>();

    /** Runs one check, keeping what it throws. */
    void check(Runnable check) {
        try {
            check.run();
        } catch (ZfsException e) {
            failures.add(e);
        }
    }

    boolean failed() {
        return !failures.isEmpty();
    }

    /** Throws {@code failure} of everything kept (errno 0: nothing reached the kernel), if anything was. */
    void done(BiFunction<List<ZfsException>, Integer, ? extends ZfsException> failure) {
        if (!failures.isEmpty()) throw failure.apply(List.copyOf(failures), 0);
    }
}
