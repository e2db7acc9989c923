package io.flocker.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flocker.fuzz.Fuzz;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Names, node UUIDs and volume options as users, peers and Docker give them, fuzzed. */
class NamesAndOptionsFuzzTest {
    @Test
    void volumeNames() {
        var outcomes = Fuzz.run("VolumeName.of", r -> r.nextBoolean() ? Fuzz.text(r, 10) : Fuzz.mutate(r, "pg-data_1.x"), text -> {
            try {
                VolumeName n = VolumeName.of(text);
                assertEquals(text, n.value());
                assertTrue(n.value().length() <= VolumeName.MAX_LENGTH);
                return "accepted";
            } catch (InvalidVolumeName refused) {
                assertTrue(refused.getMessage().startsWith("invalid volume name "), refused.getMessage());
                return "refused";
            }
        });
        assertTrue(outcomes.getOrDefault("accepted", 0) > 0, "some inputs are accepted: " + outcomes);
    }

    @Test
    void snapshotNames() {
        Fuzz.run("VolumeName.checkSnapshotName", r -> r.nextBoolean() ? Fuzz.text(r, 10) : Fuzz.mutate(r, "flocker-20261201T000000.000Z"),
            text -> {
                try {
                    assertEquals(text, VolumeName.checkSnapshotName(text));
                    return "accepted";
                } catch (InvalidVolumeName refused) {
                    assertTrue(refused.getMessage().startsWith("invalid snapshot name "), refused.getMessage());
                    return "refused";
                }
            });
    }

    @Test
    void nodeIds() {
        String valid = UUID.randomUUID().toString();
        var outcomes = Fuzz.run("NodeIds.parse", r -> r.nextInt(3) == 0 ? Fuzz.text(r, 10) : Fuzz.mutate(r, valid), text -> {
            try {
                UUID u = NodeIds.parse(text);
                assertEquals(text, u.toString(), "only the canonical form is taken");
                return "accepted";
            } catch (InvalidNodeId refused) {
                return "refused";
            }
        });
        assertTrue(outcomes.getOrDefault("accepted", 0) > 0, "some inputs are accepted: " + outcomes);
    }

    @Test
    void volumeOptions() {
        String[] names = {"quota", "recordsize", "compression", "quota", "recordsize", "compression", "mountpoint", ""};
        String[] values = {"10G", "1M", "128K", "lz4", "zstd", "gzip-9", "none", "off", "0", "1e3", "-5G", "9999999999999999999P"};
        var outcomes = Fuzz.run("VolumeProperties.of", r -> {
            Map<String, String> m = new LinkedHashMap<>();
            int n = r.nextInt(4);
            for (int i = 0; i < n; i++) {
                String k = r.nextInt(4) == 0 ? Fuzz.text(r, 4) : Fuzz.oneOf(r, names);
                String v = r.nextInt(10) == 0 ? null : r.nextInt(3) == 0 ? Fuzz.text(r, 4)
                    : r.nextBoolean() ? Fuzz.oneOf(r, values) : Fuzz.mutate(r, Fuzz.oneOf(r, values));
                m.put(k, v);
            }
            return m;
        }, m -> {
            try {
                VolumeProperties p = VolumeProperties.of(m);
                for (String k : VolumeProperties.NAMES) {
                    if (p.get(k) == null) continue;
                    if (!k.equals("compression")) assertTrue(p.bytes(k) > 0, k + "=" + p.get(k));
                }
                return p.isEmpty() ? "none" : "accepted";
            } catch (InvalidVolumeOption refused) {
                assertTrue(refused.getMessage().startsWith("invalid volume option "), refused.getMessage());
                return "refused";
            }
        });
        assertTrue(outcomes.getOrDefault("accepted", 0) > 0, "some inputs are accepted: " + outcomes);
    }
}
