package io.flocker.testbed;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A file-backed pool made for one test class by {@link TestPoolExtension},
 * destroyed after it. {@link #zfs} and {@link #zpool} let a test check the
 * pool's state with the real commands, independently of the code under test.
 */
public record TestPool(String name, Path mountpoint) {

    /** Runs `zfs ARGS...` and returns its output; fails the test on a non-zero exit. */
    public String zfs(String... args) {
        return TestBed.run(cmd("zfs", args)).requireSuccess().stdout();
    }

    /** Runs `zfs ARGS...` and returns the whole result, for tests that expect failure. */
    public TestBed.Result zfsResult(String... args) {
        return TestBed.run(cmd("zfs", args));
    }

    public String zpool(String... args) {
        return TestBed.run(cmd("zpool", args)).requireSuccess().stdout();
    }

    /** Whether {@code dataset} (full name) exists, asked of the `zfs` command. */
    public boolean has(String dataset) {
        return TestBed.run(cmd("zfs", "list", "-H", "-o", "name", dataset)).exitCode() == 0;
    }

    /** A property's value as `zfs get -Hp -o value` prints it. */
    public String get(String dataset, String property) {
        return zfs("get", "-Hp", "-o", "value", property, dataset).trim();
    }

    /** Every dataset, snapshot and bookmark in the pool, by name. */
    public List<String> all() {
        String out = zfs("list", "-H", "-o", "name", "-t", "all", "-r", name);
        List<String> names = new ArrayList<>();
        for (String l : out.split("\n")) if (!l.isBlank()) names.add(l.trim());
        return names;
    }

    /** {@code name + "/" + child}. */
    public String ds(String child) {
        return name + "/" + child;
    }

    private static List<String> cmd(String tool, String... args) {
        List<String> c = new ArrayList<>();
        c.add(tool);
        c.addAll(List.of(args));
        return c;
    }
}
