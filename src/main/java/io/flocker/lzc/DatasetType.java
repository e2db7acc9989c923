package io.flocker.lzc;

/** What {@link LibZfsCore#create} makes: the values of libzfs_core's lzc_dataset_type. */
public enum DatasetType {
    /** A file system (LZC_DATSET_TYPE_ZFS). */
    FILESYSTEM(2),
    /** A volume, a block device (LZC_DATSET_TYPE_ZVOL); needs the volsize property. */
    VOLUME(3);

    final int code;

    DatasetType(int code) {
        this.code = code;
    }
}
