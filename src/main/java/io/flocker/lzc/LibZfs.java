package io.flocker.lzc;

import io.flocker.lzc.errors.DatasetNotFound;
import io.flocker.lzc.errors.ZfsException;
import io.flocker.lzc.errors.ZfsUnavailable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * STAND-IN for branch {@code libzfs}'s JavaCPP binding of libzfs, with the
 * same API, so that the ownership work compiles and runs in the test guest
 * before that branch lands. It forks {@code zfs set/get}, which the real
 * class does not; the merge of {@code libzfs} replaces this file whole.
 */
public final class LibZfs implements AutoCloseable {
    private LibZfs() {}

    public static LibZfs open() {
        if (!new java.io.File("/dev/zfs").exists()) throw new ZfsUnavailable("no /dev/zfs", 2, "libzfs_init");
        return new LibZfs();
    }

    public synchronized void setProperty(String dataset, String property, String value) {
        setProperties(dataset, Map.of(property, value));
    }

    public synchronized void setProperties(String dataset, Map<String, String> props) {
        ZfsNames.checkFilesystem("set properties", dataset);
        List<String> cmd = new ArrayList<>(List.of("zfs", "set"));
        props.forEach((k, v) -> cmd.add(k + "=" + v));
        cmd.add(dataset);
        run(dataset, cmd);
    }

    public synchronized String getProperty(String dataset, String property) {
        String out = run(dataset, List.of("zfs", "get", "-Hp", "-o", "value", property, dataset)).strip();
        return out.equals("-") ? null : out;
    }

    public synchronized Map<String, String> localProperties(String dataset) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : run(dataset, List.of("zfs", "get", "-Hp", "-s", "local", "-o", "property,value", "all",
                dataset)).split("\n")) {
            String[] f = line.split("\t");
            if (f.length == 2 && !f[0].contains(":")) out.put(f[0], f[1]);
        }
        return out;
    }

    private static String run(String dataset, List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            if (rc != 0) {
                if (out.contains("does not exist")) throw new DatasetNotFound(2, cmd.get(1), dataset);
                throw new ZfsException(out.strip(), 0, cmd.get(1), dataset);
            }
            return out;
        } catch (IOException e) {
            throw new ZfsException(e.getMessage(), 0, cmd.get(1), dataset);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZfsException("interrupted", 0, cmd.get(1), dataset);
        }
    }

    @Override
    public void close() {}
}
