package io.flocker.volume.push;

import io.flocker.volume.ReceiveState;
import io.flocker.volume.StoragePool;
import io.flocker.volume.VolumeId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Where the next incremental stream to one destination starts: each
 * destination node keeps a bookmark on the sending volume of the last
 * snapshot it received, so pruning snapshots (for whichever destination)
 * never leaves another without a base.
 *
 * <p>A destination's bookmark is named {@code <its uuid, 32 hex digits>.a}
 * or {@code .b}, so it fits where a snapshot name fits; after a push the
 * other slot is made first and the old one destroyed after, so there is a
 * bookmark for the destination at every moment (two after a crash between
 * the steps; the next push keeps the one that matches). Which snapshot a
 * bookmark stands for is known by GUID: a received snapshot has the GUID of
 * the snapshot it was sent from, and the receiver says its GUIDs.
 */
final class PushBases {
    private PushBases() {}

    /** A stream's origin: {@code from} for {@link StoragePool#send}, {@code snapshot} the receiver's name of it. */
    record Base(String from, String snapshot) {}

    /**
     * The origin of the next incremental stream to {@code state}'s holder, or
     * null when nothing is shared. The receiver's newest snapshot is the only
     * origin a stream can apply to, so it is looked for first: as a snapshot
     * here (same name, and same GUID when the receiver says its GUIDs), then
     * as a bookmark. Failing that, the newest snapshot both have by name (the
     * receiver then says what does not fit).
     */
    static Base pick(StoragePool pool, VolumeId id, ReceiveState state) {
        List<String> theirs = state.snapshots();
        if (theirs.isEmpty()) return null;
        Map<String, Long> mine = pool.snapshotGuids(id);
        String newest = theirs.get(theirs.size() - 1);
        Long newestGuid = state.guids().get(newest);
        if (mine.containsKey(newest) && (newestGuid == null || newestGuid.equals(mine.get(newest)))) {
            return new Base(newest, newest);
        }
        if (newestGuid != null) {
            for (Map.Entry<String, Long> b : pool.bookmarks(id).entrySet()) {
                if (b.getValue().equals(newestGuid)) return new Base("#" + b.getKey(), newest);
            }
        }
        String common = Pusher.newestCommon(List.copyOf(mine.keySet()), theirs);
        return common == null ? null : new Base(common, common);
    }

    /**
     * Records that {@code destination} now has {@code snapshot}: its bookmark
     * in the free slot, then its other bookmarks go.
     */
    static void record(StoragePool pool, VolumeId id, UUID destination, String snapshot) {
        Map<String, Long> marks = pool.bookmarks(id);
        String a = name(destination, "a"), b = name(destination, "b");
        String slot = marks.containsKey(a) ? b : a;
        if (marks.containsKey(slot)) {
            // both slots taken (a crash between the two steps): the older goes first
            pool.destroyBookmarks(id, List.of(slot));
        }
        pool.bookmark(id, snapshot, slot);
        List<String> old = new ArrayList<>();
        for (String m : List.of(a, b)) if (!m.equals(slot) && marks.containsKey(m)) old.add(m);
        if (!old.isEmpty()) pool.destroyBookmarks(id, old);
    }

    /** The bookmark names of {@code destination}. */
    static List<String> names(UUID destination) {
        return List.of(name(destination, "a"), name(destination, "b"));
    }

    private static String name(UUID destination, String slot) {
        return Objects.requireNonNull(destination).toString().replace("-", "") + "." + slot;
    }
}
