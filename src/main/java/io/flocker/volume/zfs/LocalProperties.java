package io.flocker.volume.zfs;

import io.flocker.lzc.LibZfsCore;
import io.flocker.volume.VolumeProperties;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Reads the {@link VolumeProperties} set on a dataset itself, in one
 * read-only channel program: {@code zfs.get_prop} gives each value with its
 * source, and the source is the dataset's own name only when it is set there.
 */
final class LocalProperties {
    private static final String PROGRAM = """
        local args = ...
        local ds = args["ds"]
        local out = {}
        for _, p in ipairs({%s}) do
          local v, src = zfs.get_prop(ds, p)
          if src == ds then out[p] = v end
        end
        return out
        """.formatted(VolumeProperties.NAMES.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(", ")));

    private LocalProperties() {}

    static VolumeProperties read(LibZfsCore lzc, String pool, String ds) {
        Map<String, String> set = new TreeMap<>();
        if (lzc.readProgram(pool, PROGRAM, Map.of("ds", ds)).get("return") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                // quota=0 is how ZFS writes "none"
                if (!(k.equals("quota") && v instanceof Number n && n.longValue() == 0)) set.put((String) k, String.valueOf(v));
            });
        }
        return VolumeProperties.of(set);
    }
}
