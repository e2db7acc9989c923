package io.flocker.volume;

import java.util.List;

/**
 * Test-only crash switch: with the system property {@value #PROPERTY} set to
 * one of the names below, the process halts at that point the way kill -9
 * would ({@link Runtime#halt}: no finally blocks, no shutdown hooks, no
 * clean-up), with exit status {@value #EXIT_STATUS}, so that a test can tell
 * the point was reached. The property is read once; unset (always, outside
 * tests) every {@link #hit} is a comparison of two references.
 *
 * <p>A point is named {@code <operation>.<step>.<before|after>}: the
 * operation from the innermost {@link #scope} (so the owner change that
 * acquire, release and reclaim share has points of each), the step a kernel
 * or remote call. Every name is listed in {@link #ALL}, which is what the
 * fail-point test walks through.
 */
public final class FailPoints {
    /** The system property that names the point to halt at. */
    public static final String PROPERTY = "flocker.failpoint";
    /** The exit status of a halt at a fail point. */
    public static final int EXIT_STATUS = 86;

    // ---- create: dataset (marked pending), mount, data container, mark cleared
    public static final String CREATE_DATASET_AFTER = "create.dataset.after";
    public static final String CREATE_MOUNT_AFTER = "create.mount.after";
    public static final String CREATE_CONTAINER_AFTER = "create.container.after";
    // ---- destroy: mark pending, container removed, unmount, dataset destroyed
    public static final String DESTROY_MARK_AFTER = "destroy.mark.after";
    public static final String DESTROY_CONTAINER_AFTER = "destroy.container.after";
    public static final String DESTROY_UNMOUNT_AFTER = "destroy.unmount.after";
    // ---- push (sender): snapshot taken, stream sent, pruned
    public static final String PUSH_SNAPSHOT_AFTER = "push.snapshot.after";
    public static final String PUSH_STREAM_AFTER = "push.stream.after";
    // ---- receive (receiver): stream received, mounted, epoch recorded
    public static final String RECEIVE_STREAM_BEFORE = "receive.stream.before";
    public static final String RECEIVE_STREAM_AFTER = "receive.stream.after";
    public static final String RECEIVE_MOUNT_AFTER = "receive.mount.after";
    // ---- handoff (sender): first push, writes stopped, final push, released, remote acquire
    public static final String HANDOFF_PUSH_AFTER = "handoff.push.after";
    public static final String HANDOFF_READONLY_AFTER = "handoff.readonly.after";
    public static final String HANDOFF_FINAL_PUSH_AFTER = "handoff.final-push.after";
    public static final String HANDOFF_RELEASE_AFTER = "handoff.release.after";
    public static final String HANDOFF_ACQUIRE_AFTER = "handoff.acquire.after";
    // ---- owner change, as acquire, release or reclaim: the steps of ZfsStoragePool's rename
    public static final String ACQUIRE_UNMOUNT_AFTER = "acquire.unmount.after";
    public static final String ACQUIRE_RENAME_BEFORE = "acquire.rename.before";
    public static final String ACQUIRE_RENAME_AFTER = "acquire.rename.after";
    public static final String ACQUIRE_PROPERTIES_AFTER = "acquire.properties.after";
    public static final String ACQUIRE_MOUNT_AFTER = "acquire.mount.after";
    public static final String RELEASE_CONTAINER_AFTER = "release.container.after";
    public static final String RELEASE_UNMOUNT_AFTER = "release.unmount.after";
    public static final String RELEASE_RENAME_BEFORE = "release.rename.before";
    public static final String RELEASE_RENAME_AFTER = "release.rename.after";
    public static final String RELEASE_PROPERTIES_AFTER = "release.properties.after";
    public static final String RECLAIM_RENAME_AFTER = "reclaim.rename.after";
    public static final String RECLAIM_PROPERTIES_AFTER = "reclaim.properties.after";

    /** Every fail point, in the order of the operations' steps. */
    public static final List<String> ALL = List.of(
        CREATE_DATASET_AFTER, CREATE_MOUNT_AFTER, CREATE_CONTAINER_AFTER,
        DESTROY_MARK_AFTER, DESTROY_CONTAINER_AFTER, DESTROY_UNMOUNT_AFTER,
        PUSH_SNAPSHOT_AFTER, PUSH_STREAM_AFTER,
        RECEIVE_STREAM_BEFORE, RECEIVE_STREAM_AFTER, RECEIVE_MOUNT_AFTER,
        HANDOFF_PUSH_AFTER, HANDOFF_READONLY_AFTER, HANDOFF_FINAL_PUSH_AFTER, HANDOFF_RELEASE_AFTER,
        HANDOFF_ACQUIRE_AFTER,
        ACQUIRE_UNMOUNT_AFTER, ACQUIRE_RENAME_BEFORE, ACQUIRE_RENAME_AFTER, ACQUIRE_PROPERTIES_AFTER,
        ACQUIRE_MOUNT_AFTER,
        RELEASE_CONTAINER_AFTER, RELEASE_UNMOUNT_AFTER, RELEASE_RENAME_BEFORE, RELEASE_RENAME_AFTER,
        RELEASE_PROPERTIES_AFTER,
        RECLAIM_RENAME_AFTER, RECLAIM_PROPERTIES_AFTER);

    private static final String ARMED = armed();
    private static final ThreadLocal<String> SCOPE = new ThreadLocal<>();

    private FailPoints() {}

    private static String armed() {
        String name = System.getProperty(PROPERTY);
        if (name == null || name.isEmpty()) return null;
        if (!ALL.contains(name)) throw new IllegalStateException(PROPERTY + "=" + name + " names no fail point; known: " + ALL);
        return name.intern();
    }

    /** Halts here when {@code name} is the armed point. */
    public static void hit(String name) {
        if (ARMED != null && ARMED.equals(name)) Runtime.getRuntime().halt(EXIT_STATUS);
    }

    /** Halts here when {@code <current scope>.<step>} is the armed point; nothing without a scope. */
    public static void step(String step) {
        if (ARMED == null) return;
        String scope = SCOPE.get();
        if (scope != null) hit(scope + "." + step);
    }

    /** Names the operation whose steps follow ({@link #step}) until the returned scope is closed. */
    public static Scope scope(String operation) {
        String outer = SCOPE.get();
        SCOPE.set(operation);
        return () -> SCOPE.set(outer);
    }

    /** An operation's name for {@link #step}, until closed. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
