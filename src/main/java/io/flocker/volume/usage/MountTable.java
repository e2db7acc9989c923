package io.flocker.volume.usage;

import java.util.List;

/**
 * Where file systems are mounted, in every mount namespace of this machine:
 * what decides whether anything but the volume's own mount can write to a
 * volume. {@link ProcMountTable} reads it from /proc; tests give their own.
 */
public interface MountTable {
    /** The mount namespace this process is in (its inode). */
    long ownNamespace();

    /**
     * Every mount whose source is {@code source} (for ZFS: the dataset's
     * name), in any mount namespace, this process's own included.
     */
    List<NamespaceMount> mountsOf(String source);

    /** Nothing is mounted anywhere: for pools that mount nothing (the in-memory one). */
    MountTable NONE = new MountTable() {
        @Override
        public long ownNamespace() {
            return 0;
        }

        @Override
        public List<NamespaceMount> mountsOf(String source) {
            return List.of();
        }
    };
}
