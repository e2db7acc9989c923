package io.flocker.lzc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flocker.lzc.errors.PropertyInvalid;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ZfsPropertiesTest {

    @Test
    void indexNamesBecomeTheKernelsNumbers() {
        Map<String, Object> k = ZfsProperties.toKernel("create", "p/a",
            Map.of("readonly", "on", "compression", "lz4", "atime", false, "canmount", "noauto"));
        assertEquals(1L, k.get("readonly"));
        assertEquals(15L, k.get("compression"));
        assertEquals(0L, k.get("atime"));
        assertEquals(2L, k.get("canmount"));
    }

    @Test
    void sizesAndNumbers() {
        Map<String, Object> k = ZfsProperties.toKernel("create", "p/a", Map.of("quota", "1G", "recordsize", 131072L,
            "refquota", "none", "reservation", "1.5M"));
        assertEquals(1L << 30, k.get("quota"));
        assertEquals(131072L, k.get("recordsize"));
        assertEquals(0L, k.get("refquota"));
        assertEquals(1572864L, k.get("reservation"));
        assertEquals(4096L, ZfsProperties.parseSize("4k"));
        assertEquals(null, ZfsProperties.parseSize("lots"));
    }

    @Test
    void userPropertiesAreStrings() {
        assertEquals("v", ZfsProperties.toKernel("c", "p/a", Map.of("io.flocker:x", "v")).get("io.flocker:x"));
        assertThrows(PropertyInvalid.class, () -> ZfsProperties.toKernel("c", "p/a", Map.of("io.flocker:x", 1L)));
        assertThrows(PropertyInvalid.class, () -> ZfsProperties.toKernel("c", "p/a", Map.of("io.flocker:x y", "v")));
        assertThrows(PropertyInvalid.class,
            () -> ZfsProperties.toKernel("c", "p/a", Map.of("io.flocker:x", "v".repeat(8192))));
    }

    @Test
    void wrongTypesAndUnknownNamesAreRefusedNamingTheProperty() {
        PropertyInvalid e = assertThrows(PropertyInvalid.class,
            () -> ZfsProperties.toKernel("create", "p/a", Map.of("compression", "snappy")));
        assertTrue(e.getMessage().contains("compression") && e.getMessage().contains("lz4"), e.getMessage());
        assertEquals("p/a", e.name());
        assertThrows(PropertyInvalid.class, () -> ZfsProperties.toKernel("c", "p/a", Map.of("quota", "big")));
        assertThrows(PropertyInvalid.class, () -> ZfsProperties.toKernel("c", "p/a", Map.of("quota", -1L)));
        assertThrows(PropertyInvalid.class, () -> ZfsProperties.toKernel("c", "p/a", Map.of("mountpoint", 5L)));
        PropertyInvalid ro = assertThrows(PropertyInvalid.class, () -> ZfsProperties.toKernel("c", "p/a", Map.of("used", 1L)));
        assertTrue(ro.getMessage().contains("'used'"), ro.getMessage());
    }
}
