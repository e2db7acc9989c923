package io.flocker.volume.zfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What stands in a volume's place while its dataset is unmounted: an empty
 * regular file, not a directory. An empty directory would take every write
 * meant for the volume onto the root file system, where the next mount hides
 * it. Nor is an absent path enough: Docker makes a missing bind source of
 * {@code --volumes-from} as a directory (dockerd 20.10 does so even for a
 * {@code --mount type=bind} source). A file makes both fail: writing inside
 * it is ENOTDIR, mkdir over it EEXIST, and Docker refuses to bind it at a
 * container's directory.
 */
final class MountPlaceholder {
    private MountPlaceholder() {}

    /**
     * Puts the placeholder at {@code dir} after its dataset was unmounted:
     * an empty directory there becomes an empty file. A directory with
     * something in it is left alone (not ours to remove).
     */
    static void put(Path dir) {
        if (dir == null) return;
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return;
            Files.delete(dir);
            Files.createFile(dir);
        } catch (IOException | SecurityException e) {
            // not empty, or not ours: leave it as it is
        }
    }

    /** Removes the placeholder (an empty regular file) at {@code dir}, before mounting there or when the volume goes. */
    static void clear(Path dir) {
        if (dir == null) return;
        try {
            BasicFileAttributes a = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isRegularFile() && a.size() == 0) Files.delete(dir);
        } catch (IOException | SecurityException e) {
            // nothing there, or not a placeholder: mounting says what is wrong
        }
    }
}
