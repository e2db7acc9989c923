package io.flocker.volume.usage;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One mount of a dataset as {@code /proc/PID/mountinfo} shows it, with the
 * mount namespace it is in and the processes in that namespace.
 *
 * @param namespace the namespace's inode ({@code /proc/PID/ns/mnt} reads {@code mnt:[N]})
 * @param mountpoint where it is mounted in that namespace
 * @param root the directory of the file system mounted there ("/" unless it is a bind of a subdirectory)
 * @param sharedGroup the peer group it shares mount events with ({@code shared:N}), 0 for none
 * @param masterGroup the peer group it receives mount events from ({@code master:N}), 0 for none
 * @param processes the processes in the namespace, by pid
 */
public record NamespaceMount(long namespace, Path mountpoint, String root, int sharedGroup, int masterGroup,
                             List<Process> processes) {
    /** A process: its pid and its command name ({@code /proc/PID/comm}). */
    public record Process(long pid, String comm) {
        @Override
        public String toString() {
            return "pid " + pid + " " + comm;
        }
    }

    public NamespaceMount {
        processes = List.copyOf(processes);
    }

    /** Whether an unmount of a mount in peer group {@code group} also unmounts this one (it is a peer or a slave). */
    public boolean follows(int group) {
        return group != 0 && (sharedGroup == group || masterGroup == group);
    }

    /** For messages: the namespace, where, and the first few processes in it. */
    public String describe() {
        String procs = processes.stream().limit(4).map(Process::toString).collect(Collectors.joining(", "));
        if (processes.size() > 4) procs += ", and " + (processes.size() - 4) + " more";
        return "mount namespace " + namespace + " at " + mountpoint + (root.equals("/") ? "" : " (" + root + " of it)")
            + (processes.isEmpty() ? "" : " (" + procs + ")");
    }
}
