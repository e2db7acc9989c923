package io.flocker.lzc;

import java.util.Map;

/**
 * One dataset or snapshot as a channel program saw it: the properties a
 * volume manager needs, read in the same transaction group as its siblings.
 * Listings read the core ones; referenced, available, origin and the resume
 * token are read by {@link LibZfsCore#get} (0 or null in a listing).
 *
 * @param name full name ({@code pool/fs} or {@code pool/fs@snap})
 * @param type "filesystem", "volume", "snapshot" or "bookmark"
 * @param used bytes used by the dataset and its descendants
 * @param referenced bytes the dataset refers to
 * @param available bytes it could still use (0 for snapshots)
 * @param mountpoint the mountpoint property, null for snapshots and volumes
 * @param readonly whether readonly=on
 * @param creation creation time, seconds since the epoch
 * @param guid the dataset's guid (unsigned; print with {@link Long#toUnsignedString(long)})
 * @param createTxg the transaction group it was created in: orders snapshots oldest first
 * @param origin for a clone, the snapshot it was cloned from; else null
 * @param receiveResumeToken the token of a partial receive, or null
 * @param userProperties user properties (module:name), local, received and inherited
 */
public record DatasetInfo(String name, String type, long used, long referenced, long available, String mountpoint,
                          boolean readonly, long creation, long guid, long createTxg, String origin,
                          String receiveResumeToken, Map<String, String> userProperties) {
    public DatasetInfo {
        userProperties = userProperties == null ? Map.of() : Map.copyOf(userProperties);
    }

    /** Whether this is a snapshot. */
    public boolean isSnapshot() {
        return "snapshot".equals(type);
    }

    /** The part after '@' for a snapshot; the last path component otherwise. */
    public String shortName() {
        int at = name.indexOf('@');
        return at >= 0 ? name.substring(at + 1) : name.substring(name.lastIndexOf('/') + 1);
    }
}
