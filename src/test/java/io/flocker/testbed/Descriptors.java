package io.flocker.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/** This process's open file descriptors, for tests that look for leaks. */
public final class Descriptors {
    private Descriptors() {}

    /** Each as "number -> what it is", without the listing's own. */
    public static Set<String> open() throws IOException {
        Set<String> fds = new TreeSet<>();
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) s::iterator) {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    if (!target.toString().matches("/proc/\\d+/fd")) fds.add(fd.getFileName() + " -> " + target);
                } catch (IOException closedMeanwhile) {
                    // not open any more: not a leak
                }
            }
        }
        return fds;
    }
}
