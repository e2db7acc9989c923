package io.flocker.lzc.presets;

import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.javacpp.annotation.Properties;
import org.bytedeco.javacpp.tools.Info;
import org.bytedeco.javacpp.tools.InfoMap;
import org.bytedeco.javacpp.tools.InfoMapper;

/**
 * JavaCPP presets for the few libzfs calls libzfs_core lacks (setting and
 * reading native properties after creation). The parser reads only
 * native/flocker_libzfs.h, which declares those calls again; libzfs.h itself
 * is only compiled against. It becomes its own JNI library linked to
 * libzfs.so.6, so a machine without libzfs still loads the libzfs_core
 * binding. Nothing outside {@code io.flocker.lzc} should touch the generated
 * classes.
 */
@Properties(
    target = "io.flocker.lzc.raw",
    global = "io.flocker.lzc.raw.LibZfsNative",
    value = @Platform(
        value = "linux-x86_64",
        include = {"flocker_libzfs.h"},
        includepath = {"/usr/include/libzfs", "/usr/include/libspl"},
        link = {"zfs@.6"},
        // Every String crosses as UTF-8, whatever the JVM's default charset (US-ASCII under LANG=C on
        // JDK 17, where a mount path "/flocker/café" would reach the kernel as "caf?").
        define = "STRING_BYTES_CHARSET \"UTF-8\""))
public class LibZfsPresets implements InfoMapper {
    static { org.bytedeco.javacpp.Loader.checkVersion("org.bytedeco", "javacpp"); }

    @Override
    public void map(InfoMap infoMap) {
        infoMap
            // The callback and the compile-time checks are for the C compiler only.
            .put(new Info("!defined(FLOCKER_JAVACPP_PARSER)").define(false))
            .put(new Info("boolean_t").cast().valueTypes("int").pointerTypes("IntPointer"))
            .put(new Info("zfs_prop_t", "zfs_type_t").cast().valueTypes("int").pointerTypes("IntPointer"))
            .put(new Info("zprop_source_t").cast().valueTypes("int").pointerTypes("IntPointer", "int[]"))
            // The libzfs_core binding's nvlist class: both libraries share one libnvpair.
            .put(new Info("nvlist_t").valueTypes("NvList").pointerTypes("NvList"))
            .put(new Info("libzfs_handle_t").pointerTypes("LibZfsHandle"))
            .put(new Info("zfs_handle_t").pointerTypes("ZfsHandle"));
    }
}
