package io.flocker.lzc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Round trips through libnvpair, which loads on any host (no /dev/zfs needed). */
class NvlistTest {

    private static Map<String, Object> roundTrip(Map<String, ?> m) {
        try (Nvlist nv = Nvlist.of(m)) {
            return nv.toMap();
        }
    }

    @Test
    void scalarsKeepTheirTypes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("u64", 1L << 40);
        m.put("neg", -5L);
        m.put("i32", 42);
        m.put("t", true);
        m.put("f", false);
        m.put("s", "héllo wörld");
        m.put("empty", "");
        m.put("flag", Nvlist.FLAG);
        Map<String, Object> back = roundTrip(m);
        assertEquals(m, back);
        assertEquals(List.copyOf(m.keySet()), List.copyOf(back.keySet()), "order is kept");
        assertSame(Nvlist.FLAG, back.get("flag"));
    }

    @Test
    void int64ReadsBackAsLong() {
        assertEquals(Map.of("d", -7L), roundTrip(Map.of("d", new NvInt64(-7))));
    }

    @Test
    void nestedMapsAndArrays() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("child", Map.of("a", 1L, "deeper", Map.of("b", "c")));
        m.put("longs", List.of(1L, 2L, 3L));
        m.put("ints", List.of(-1, 0, 7));
        m.put("bools", List.of(true, false));
        m.put("strings", List.of("x", "y z", ""));
        m.put("maps", List.of(Map.of("k", 1L), Map.of("k", 2L)));
        m.put("none", List.of());
        assertEquals(m, roundTrip(m));
    }

    @Test
    void bytes() {
        byte[] b = {0, 1, (byte) 0xff, 127};
        assertArrayEquals(b, (byte[]) roundTrip(Map.of("b", b)).get("b"));
        assertArrayEquals(new byte[0], (byte[]) roundTrip(Map.of("b", new byte[0])).get("b"));
    }

    @Test
    void unsupportedValuesAreRefusedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Nvlist.of(Map.of("outer", Map.of("bad", 1.5))));
        assertTrue(e.getMessage().contains("outer/bad"), e.getMessage());
        Map<String, Object> withNull = new LinkedHashMap<>();
        withNull.put("n", null);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Nvlist.of(withNull)).getMessage().contains("'n'"));
        assertThrows(IllegalArgumentException.class, () -> Nvlist.of(Map.of("mixed", List.of(1L, "x"))));
    }

    @Test
    void closeIsIdempotentAndUseAfterCloseIsAnError() {
        Nvlist nv = Nvlist.of(Map.of("a", 1L));
        nv.close();
        nv.close();
        assertThrows(IllegalStateException.class, nv::toMap);
    }

    @Test
    void emptyList() {
        try (Nvlist nv = Nvlist.empty()) {
            assertEquals(Map.of(), nv.toMap());
        }
    }
}
