package io.flocker.lzc.presets;

import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.javacpp.annotation.Properties;
import org.bytedeco.javacpp.tools.Info;
import org.bytedeco.javacpp.tools.InfoMap;
import org.bytedeco.javacpp.tools.InfoMapper;

/**
 * JavaCPP presets for libzfs_core and the nvlist half of libnvpair. The
 * parser turns these headers into {@code io.flocker.lzc.raw}; nothing outside
 * {@code io.flocker.lzc} should touch those generated classes.
 */
@Properties(
    target = "io.flocker.lzc.raw",
    global = "io.flocker.lzc.raw.LibZfsCoreNative",
    value = @Platform(
        value = "linux-x86_64",
        include = {"sys/nvpair.h", "libzfs_core.h", "flocker_lzc_extra.h"},
        includepath = {"/usr/include/libzfs", "/usr/include/libspl"},
        link = {"zfs_core@.3", "nvpair@.3"},
        // Every String crosses as UTF-8, whatever the JVM's default charset (US-ASCII under LANG=C on
        // JDK 17, where a mount path "/flocker/café" would reach the kernel as "caf?").
        define = "STRING_BYTES_CHARSET \"UTF-8\""))
public class LibZfsCorePresets implements InfoMapper {
    static { org.bytedeco.javacpp.Loader.checkVersion("org.bytedeco", "javacpp"); }

    @Override
    public void map(InfoMap infoMap) {
        infoMap
            // The include guards double as visibility attributes on every declaration.
            .put(new Info("_LIBZFS_CORE_H", "_SYS_NVPAIR_H").cppTypes().annotations())
            // Only the user-space branch exists for us (else DATA_TYPE_DOUBLE vanishes
            // and constants are defined twice).
            .put(new Info("!defined(_KERNEL) && !defined(_STANDALONE)").define(true))
            .put(new Info("defined(_KERNEL)").define(false))
            .put(new Info("boolean_t").cast().valueTypes("int").pointerTypes("IntPointer"))
            .put(new Info("uint_t").cast().valueTypes("int").pointerTypes("IntPointer"))
            .put(new Info("uchar_t").cast().valueTypes("byte").pointerTypes("BytePointer"))
            .put(new Info("hrtime_t").cast().valueTypes("long").pointerTypes("LongPointer"))
            .put(new Info("data_type_t", "zfs_ioc_t", "zpool_wait_activity_t", "zfs_wait_activity_t",
                    "pool_trim_func_t", "pool_initialize_func_t", "zpool_prefetch_type_t",
                    "zpool_ddt_prune_unit_t")
                .cast().valueTypes("int").pointerTypes("IntPointer"))
            .put(new Info("lzc_send_flags", "enum lzc_send_flags").cast().valueTypes("int").pointerTypes("IntPointer"))
            .put(new Info("lzc_dataset_type", "enum lzc_dataset_type").cast().valueTypes("int").pointerTypes("IntPointer"))
            .put(new Info("nvlist", "nvlist_t").purify().pointerTypes("NvList"))
            .put(new Info("nvpair", "nvpair_t").purify().pointerTypes("NvPair"))
            // Declared but never exported (lzc_send_progress), or only present in
            // some OpenZFS releases: binding them would make loading, or the first
            // call, fail on another release. lzc_ioctl_fd needs struct zfs_cmd,
            // which is kernel ABI and not in the headers.
            .put(new Info("lzc_send_progress", "lzc_ddt_prune", "lzc_get_props", "lzc_get_vdev_prop",
                    "lzc_set_vdev_prop", "lzc_pool_prefetch", "lzc_receive_with_heal", "lzc_scrub",
                    "lzc_send_wrapper", "lzc_ioctl_fd", "lzc_wait_fs", "lzc_set_bootenv", "lzc_get_bootenv",
                    "lzc_reopen", "lzc_initialize", "lzc_trim", "lzc_wait", "lzc_wait_tag", "lzc_redact",
                    "lzc_send_redacted", "lzc_send_resume_redacted", "lzc_send_space_resume_redacted",
                    "lzc_receive_with_header", "lzc_receive_with_cmdprops").skip())
            // The allocator framework and the printing helpers are not needed.
            .put(new Info("nv_alloc_t", "nv_alloc", "nv_alloc_ops", "nv_alloc_ops_t", "nv_fixed_ops",
                    "nv_alloc_nosleep", "nv_alloc_sleep", "nv_alloc_init", "nv_alloc_reset", "nv_alloc_fini",
                    "nvlist_xalloc", "nvlist_xpack", "nvlist_xunpack", "nvlist_xdup", "nvlist_lookup_nv_alloc",
                    "nvlist_add_hrtime", "nvlist_lookup_hrtime", "nvpair_value_hrtime",
                    "fnvlist_pack_free", "nvlist_add_double", "nvlist_lookup_double", "nvpair_value_double",
                    "NV_ALIGN", "NV_ALIGN4", "NVP_SIZE", "NVP_NAME", "NVP_TYPE", "NVP_NELEM", "NVP_VALUE",
                    "NVL_VERSION", "NVL_SIZE", "NVL_FLAG").skip());
    }
}
