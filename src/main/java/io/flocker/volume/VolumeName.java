package io.flocker.volume;

/**
 * A volume's name: usable as part of a Docker container name
 * ({@code flocker-<name>-data}), a ZFS dataset name ({@code <pool>/<uuid>.<name>})
 * and a directory name, so {@code [A-Za-z0-9][A-Za-z0-9_.-]*}, and short
 * enough that the dataset and its snapshots fit ZFS's 255-character names.
 * An instance is always valid: the constructor refuses anything else.
 *
 * @param value the name
 */
public record VolumeName(String value) {
    /** ZFS's longest dataset, snapshot or bookmark name (ZFS_MAX_DATASET_NAME_LEN - 1). */
    public static final int ZFS_MAX_NAME = 255;
    /** The longest snapshot name (after '@') the volume manager makes or accepts: room for a UUID. */
    public static final int MAX_SNAPSHOT_NAME = 36;
    private static final int UUID_LENGTH = 36;
    /** The longest name with the shortest pool name (one character). */
    public static final int MAX_LENGTH = maxLength("p");

    /** @throws InvalidVolumeName naming {@code value} and saying what is wrong with it */
    public VolumeName {
        String why = problem(value, MAX_LENGTH);
        if (why != null) throw new InvalidVolumeName(value, "invalid volume name " + VolumeException.quote(value) + ": " + why);
    }

    /** The name, checked. */
    public static VolumeName of(String text) {
        return new VolumeName(text);
    }

    /**
     * The longest volume name in {@code pool}: {@code <pool>/<uuid>.<name>@<snapshot>}
     * must fit 255 characters for a snapshot name of up to {@link #MAX_SNAPSHOT_NAME}.
     */
    public static int maxLength(String pool) {
        return ZFS_MAX_NAME - pool.length() - 1 - UUID_LENGTH - 1 - 1 - MAX_SNAPSHOT_NAME;
    }

    /**
     * Refuses this name in {@code pool} when it is too long there.
     *
     * @throws InvalidVolumeName naming the name, the pool and the limit
     */
    public void checkFits(String pool) {
        int max = maxLength(pool);
        if (value.length() > max) {
            throw new InvalidVolumeName(value, "invalid volume name " + VolumeException.quote(value) + ": "
                + value.length() + " characters, at most " + max + " in pool " + VolumeException.quote(pool)
                + " (the dataset " + pool + "/<uuid>.<name> and its snapshots must fit ZFS's " + ZFS_MAX_NAME
                + "-character names)");
        }
    }

    /**
     * Checks a snapshot name (the part after '@'): the same characters as a
     * volume name, at most {@link #MAX_SNAPSHOT_NAME} of them.
     *
     * @return {@code snapshot}
     * @throws InvalidVolumeName naming it
     */
    public static String checkSnapshotName(String snapshot) {
        String why = problem(snapshot, MAX_SNAPSHOT_NAME);
        if (why != null) {
            throw new InvalidVolumeName(snapshot, "invalid snapshot name " + VolumeException.quote(snapshot) + ": " + why);
        }
        return snapshot;
    }

    private static String problem(String text, int max) {
        if (text == null || text.isEmpty()) return "a name must not be empty";
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (i == 0 && !alnum) return "it must start with a letter or a digit, not " + describe(c);
            if (!alnum && c != '_' && c != '.' && c != '-') {
                return describe(c) + " is not allowed (letters, digits, '_', '.' and '-' only)";
            }
        }
        if (text.length() > max) return text.length() + " characters, at most " + max;
        return null;
    }

    private static String describe(char c) {
        if (c == ' ') return "a space";
        if (c < 0x20 || c == 0x7f || Character.isISOControl(c)) return String.format("control character U+%04X", (int) c);
        return "'" + c + "'";
    }

    @Override
    public String toString() {
        return value;
    }
}
