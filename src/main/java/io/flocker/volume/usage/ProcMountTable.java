package io.flocker.volume.usage;

import io.flocker.volume.StorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link MountTable} of this machine from /proc: every process's mount
 * namespace ({@code /proc/PID/ns/mnt}), and each namespace's mounts read once,
 * from the mountinfo of one of its processes. Seeing other processes'
 * namespaces needs root (or CAP_SYS_PTRACE); a process this one may not look
 * at is left out, and so is one that exits while it is read.
 */
public final class ProcMountTable implements MountTable {
    private static final Logger log = LoggerFactory.getLogger(ProcMountTable.class);

    private final Path proc;

    /** The table under {@code proc}: /proc itself, or a tree laid out like it (tests). */
    public ProcMountTable(Path proc) {
        this.proc = proc;
    }

    /** This machine's, from /proc. */
    public static ProcMountTable system() {
        return new ProcMountTable(Path.of("/proc"));
    }

    @Override
    public long ownNamespace() {
        long ns = namespaceOf(proc.resolve("self"));
        if (ns < 0) throw new StorageException("cannot read this process's mount namespace from " + proc.resolve("self/ns/mnt"), null);
        return ns;
    }

    @Override
    public List<NamespaceMount> mountsOf(String source) {
        Map<Long, List<Long>> pids = new TreeMap<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(proc)) {
            for (Path p : dir) {
                long pid = pidOf(p.getFileName().toString());
                if (pid < 0) continue;
                long ns = namespaceOf(p);
                if (ns >= 0) pids.computeIfAbsent(ns, k -> new ArrayList<>()).add(pid);
            }
        } catch (IOException e) {
            throw new StorageException("cannot list the processes in " + proc + ": " + e.getMessage(), e);
        }
        List<NamespaceMount> out = new ArrayList<>();
        pids.forEach((ns, members) -> {
            members.sort(null);
            List<String[]> found = null;
            for (long pid : members) { // the first one still there tells the namespace's mounts
                found = matching(proc.resolve(Long.toString(pid)).resolve("mountinfo"), source);
                if (found != null) break;
            }
            if (found == null || found.isEmpty()) return;
            List<NamespaceMount.Process> procs = new ArrayList<>();
            for (long pid : members) {
                String comm = comm(pid);
                if (comm != null) procs.add(new NamespaceMount.Process(pid, comm));
            }
            for (String[] m : found) {
                out.add(new NamespaceMount(ns, Path.of(m[1]), m[0], Integer.parseInt(m[2]), Integer.parseInt(m[3]), procs));
            }
        });
        return out;
    }

    private static long pidOf(String name) {
        if (name.isEmpty() || name.length() > 18) return -1;
        for (int i = 0; i < name.length(); i++) if (name.charAt(i) < '0' || name.charAt(i) > '9') return -1;
        return Long.parseLong(name);
    }

    // "mnt:[4026531840]" -> 4026531840; -1 when it cannot be read (gone, or not ours to see).
    private static long namespaceOf(Path process) {
        try {
            String link = Files.readSymbolicLink(process.resolve("ns").resolve("mnt")).toString();
            int open = link.indexOf('['), close = link.indexOf(']');
            if (!link.startsWith("mnt:") || open < 0 || close < open) return -1;
            return Long.parseLong(link.substring(open + 1, close));
        } catch (IOException | UnsupportedOperationException | NumberFormatException | SecurityException e) {
            return -1;
        }
    }

    /**
     * The mounts of {@code source} in one mountinfo file, each as {root,
     * mountpoint, shared group, master group}; null when it cannot be read.
     * A line is: ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPEROPTIONS.
     */
    static List<String[]> matching(Path mountinfo, String source) {
        List<String> lines;
        try {
            lines = Files.readAllLines(mountinfo, StandardCharsets.UTF_8);
        } catch (IOException | SecurityException e) {
            log.debug("cannot read {}: {}", mountinfo, e.toString());
            return null;
        }
        List<String[]> out = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            int dash = -1;
            for (int i = 6; i < f.length; i++) if (f[i].equals("-")) { dash = i; break; }
            if (dash < 0 || dash + 2 >= f.length || !unescape(f[dash + 2]).equals(source)) continue;
            String shared = "0", master = "0";
            for (int i = 6; i < dash; i++) {
                if (f[i].startsWith("shared:")) shared = f[i].substring(7);
                if (f[i].startsWith("master:")) master = f[i].substring(7);
            }
            out.add(new String[] {unescape(f[3]), unescape(f[4]), shared, master});
        }
        return out;
    }

    private String comm(long pid) {
        try {
            return Files.readString(proc.resolve(Long.toString(pid)).resolve("comm"), StandardCharsets.UTF_8).strip();
        } catch (IOException | SecurityException e) {
            return null; // it exited meanwhile
        }
    }

    // mountinfo writes space, tab, newline and backslash as octal escapes (\040 ...).
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && octal(s, i + 1)) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean octal(String s, int from) {
        if (from + 3 > s.length()) return false;
        for (int i = from; i < from + 3; i++) if (s.charAt(i) < '0' || s.charAt(i) > '7') return false;
        return true;
    }
}
