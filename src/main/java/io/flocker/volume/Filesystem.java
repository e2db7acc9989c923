package io.flocker.volume;

import java.nio.file.Path;

/**
 * A volume's storage as a {@link StoragePool} reports it.
 *
 * @param id owner and name
 * @param dataset the dataset name, {@code <pool>/<uuid>.<name>}
 * @param mountpoint where it is (or is to be) mounted on this machine; null if it has none
 * @param mountPath where containers see it, as recorded at creation; null if none was recorded
 * @param readOnly whether it refuses writes (ZFS readonly=on)
 * @param used bytes it uses, snapshots included
 */
public record Filesystem(VolumeId id, String dataset, Path mountpoint, Path mountPath, boolean readOnly, long used) {}
