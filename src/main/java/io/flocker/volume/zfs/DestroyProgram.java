package io.flocker.volume.zfs;

import io.flocker.lzc.LibZfsCore;
import io.flocker.lzc.errors.Errno;
import io.flocker.lzc.errors.ZfsException;
import io.flocker.volume.StorageException;
import io.flocker.volume.VolumeBusy;
import io.flocker.volume.VolumeException;
import java.util.Map;

/**
 * Destroys a file system and its snapshots in one channel program, so in
 * one transaction group. Every snapshot is checked before anything is
 * destroyed, and so is the file system when it has no snapshots; a held or
 * cloned snapshot, or a child dataset, leaves everything as it was. The one
 * case this program cannot check ahead: a file system with snapshots that is
 * still busy (mounted in another mount namespace) would lose its snapshots
 * and stay, because ZFS answers "busy" for both until the snapshots are gone;
 * so {@link ZfsStoragePool#destroy} runs it only when the mount table shows
 * the dataset mounted nowhere.
 */
final class DestroyProgram {
    private static final String PROGRAM = """
        local args = ...
        local fs = args["fs"]
        for c in zfs.list.children(fs) do
          return {failed = c, errno = 17, why = "child"}
        end
        local snaps = {}
        for s in zfs.list.snapshots(fs) do snaps[#snaps + 1] = s end
        for _, s in ipairs(snaps) do
          local err = zfs.check.destroy(s)
          if err ~= 0 then return {failed = s, errno = err, why = "snapshot"} end
        end
        if #snaps == 0 then
          local err = zfs.check.destroy(fs)
          if err ~= 0 then return {failed = fs, errno = err, why = "filesystem"} end
        end
        for _, s in ipairs(snaps) do
          local err = zfs.sync.destroy(s)
          if err ~= 0 then return {failed = s, errno = err, why = "snapshot"} end
        end
        local err = zfs.sync.destroy(fs)
        if err ~= 0 then return {failed = fs, errno = err, why = "filesystem"} end
        return {}
        """;

    private DestroyProgram() {}

    static void run(LibZfsCore lzc, String pool, String dataset) {
        Map<String, Object> out;
        try {
            out = lzc.channelProgram(pool, PROGRAM, Map.of("fs", dataset),
                LibZfsCore.DEFAULT_INSTRUCTION_LIMIT, LibZfsCore.DEFAULT_MEMORY_LIMIT);
        } catch (ZfsException e) {
            throw ZfsErrors.translate("destroy " + dataset, e);
        }
        if (!(out.get("return") instanceof Map<?, ?> r) || !r.containsKey("failed")) return;
        String failed = String.valueOf(r.get("failed"));
        int errno = r.get("errno") instanceof Number n ? n.intValue() : 0;
        String why = String.valueOf(r.get("why"));
        String head = "cannot destroy " + dataset + ": ";
        if (why.equals("child")) {
            throw new VolumeBusy(head + "it has a child dataset " + failed + " (not made by flocker-volume)", null);
        }
        if (errno == Errno.EBUSY) {
            throw new VolumeBusy(head + (why.equals("snapshot")
                ? "snapshot " + failed + " is held"
                : "it is in use (mounted in a running container's namespace?)") + " (EBUSY)", null);
        }
        if (errno == Errno.EEXIST && why.equals("snapshot")) {
            throw new VolumeBusy(head + "snapshot " + failed + " has clones (EEXIST)", null);
        }
        throw new StorageException(head + VolumeException.quote(failed) + " failed (" + Errno.name(errno) + ")", null);
    }
}
