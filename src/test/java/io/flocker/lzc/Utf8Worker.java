package io.flocker.lzc;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Run in a JVM of its own whose default charset is US-ASCII (LANG=C,
 * -Dfile.encoding=ANSI_X3.4-1968): non-ASCII text must cross into native
 * code and back unchanged. Prints one line per check, "ok ..." or "BAD ...",
 * and the charset first. With a pool and its mount directory as arguments
 * it also goes through libzfs_core, libzfs and mount(2) on that pool.
 */
public final class Utf8Worker {
    static final String TEXT = "caf\u00e9 \u00fcber \u20ac \ud83d\udc33";

    private Utf8Worker() {}

    public static void main(String[] args) {
        System.out.println("charset " + Charset.defaultCharset());
        try (Nvlist n = Nvlist.of(Map.of(TEXT, TEXT, "list", List.of(TEXT, "plain")))) {
            Map<String, Object> back = n.toMap();
            check("nvlist key and value", TEXT.equals(back.keySet().stream().filter(k -> !k.equals("list")).findFirst()
                .orElse(null)) && TEXT.equals(back.get(TEXT)));
            check("nvlist string array", List.of(TEXT, "plain").equals(back.get("list")));
        }
        if (args.length == 0) return;
        String fs = args[0] + "/utf8";
        LibZfsCore lzc = LibZfsCore.open();
        lzc.create(fs, DatasetType.FILESYSTEM, Map.of("io.flocker:note", TEXT, "mountpoint", "none"));
        try (LibZfs z = LibZfs.open()) {
            check("user property through libzfs_core, read by libzfs", TEXT.equals(z.getProperty(fs, "io.flocker:note")));
            z.setProperty(fs, "io.flocker:other", TEXT);
            check("user property through libzfs", TEXT.equals(z.getProperty(fs, "io.flocker:other")));
        }
        // The directory is ASCII: under LANG=C the JDK cannot even name a non-ASCII file (sun.jnu.encoding),
        // which is why bin/flocker-volume runs the JVM in a UTF-8 locale.
        Path dir = Path.of(args[1], "utf8");
        ZfsMounts.mount(fs, dir, false);
        check("mounted", dir.equals(ZfsMounts.mountpointOf(fs)));
        check("unmounted", ZfsMounts.unmount(dir, false));
    }

    private static void check(String what, boolean ok) {
        System.out.println((ok ? "ok " : "BAD ") + what);
    }
}
