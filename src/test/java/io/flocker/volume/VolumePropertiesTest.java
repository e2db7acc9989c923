package io.flocker.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class VolumePropertiesTest {
    @ParameterizedTest
    @CsvSource({
        "quota, 10G, 10737418240",
        "quota, 10g, 10737418240",
        "quota, 1.5M, 1572864",
        "quota, 2GiB, 2147483648",
        "quota, 1048576, 1048576",
        "recordsize, 128K, 131072",
        "recordsize, 512, 512",
        "recordsize, 1M, 1048576",
        "compression, lz4, lz4",
        "compression, LZ4, lz4",
        "compression, gzip-6, gzip",
        "compression, gzip-9, gzip-9",
        "compression, off, off",
    })
    void goodValuesAreKeptInTheFormZfsReports(String option, String value, String normal) {
        VolumeProperties p = VolumeProperties.of(Map.of(option, value));
        assertEquals(Map.of(option, normal), p.values());
    }

    @Test
    void noneAndNothingAskForNothing() {
        assertTrue(VolumeProperties.of(null).isEmpty());
        assertTrue(VolumeProperties.of(Map.of()).isEmpty());
        assertTrue(VolumeProperties.of(Map.of("quota", "none")).isEmpty());
        assertEquals(VolumeProperties.NONE, VolumeProperties.of(Map.of("quota", "NONE")));
    }

    @Test
    void sizesAreBytesAndCompressionIsNot() {
        VolumeProperties p = VolumeProperties.of(Map.of("quota", "1G", "recordsize", "16K", "compression", "zstd"));
        assertEquals(1L << 30, p.bytes("quota"));
        assertEquals(16384L, p.bytes("recordsize"));
        assertNull(p.bytes("compression"));
        assertEquals("zstd", p.get("compression"));
        assertEquals(p, VolumeProperties.of(Map.of("quota", "1073741824", "recordsize", "16384", "compression", "zstd")),
            "normal forms compare equal");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "foo        | bar       | invalid volume option 'foo': not an option flocker volumes take (they take quota, recordsize and compression)",
        "Quota      | 1G        | invalid volume option 'Quota': not an option",
        "size       | 1G        | invalid volume option 'size': not an option",
        "quota      | lots      | invalid volume option 'quota=lots': not a size (a size like 10G, at least 1M, or none)",
        "quota      | 1K        | invalid volume option 'quota=1K': too small: at least 1M",
        "quota      | -5G       | invalid volume option 'quota=-5G': not a size",
        "quota      | 99999999P | invalid volume option 'quota=99999999P': too large",
        "recordsize | 3000      | invalid volume option 'recordsize=3000': not a power of two from 512 to 1M, like 128K",
        "recordsize | 2M        | invalid volume option 'recordsize=2M': not a power of two",
        "recordsize | 256       | invalid volume option 'recordsize=256': not a power of two",
        "recordsize | none      | invalid volume option 'recordsize=none': not a size",
        "compression| brotli    | invalid volume option 'compression=brotli': not one of on, off, lz4, zstd, gzip, gzip-1 to gzip-9, zle, lzjb",
        "compression| gzip-10   | invalid volume option 'compression=gzip-10': not one of",
    })
    void badOptionsAreRefusedNamingThem(String option, String value, String message) {
        InvalidVolumeOption e = assertThrows(InvalidVolumeOption.class, () -> VolumeProperties.of(Map.of(option, value)));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
        assertEquals(option, e.option());
    }

    @Test
    void emptyOrMissingValuesAreRefusedNamingTheOption() {
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("compression", null);
        for (Map<String, String> m : java.util.List.of(Map.of("quota", ""), nullValue)) {
            InvalidVolumeOption e = assertThrows(InvalidVolumeOption.class, () -> VolumeProperties.of(m));
            assertTrue(e.getMessage().matches("invalid volume option '(quota|compression)': no value \\(.+\\)"), e.getMessage());
        }
    }

    @Test
    void oneBadOptionAmongGoodOnesRefusesAll() {
        InvalidVolumeOption e = assertThrows(InvalidVolumeOption.class,
            () -> VolumeProperties.of(Map.of("quota", "1G", "compression", "lz4", "mountpoint", "/etc")));
        assertEquals("mountpoint", e.option());
    }

    @Test
    void controlCharactersInAnOptionNameCannotBreakTheMessage() {
        InvalidVolumeOption e = assertThrows(InvalidVolumeOption.class, () -> VolumeProperties.of(Map.of("a\nb", "1")));
        assertTrue(e.getMessage().startsWith("invalid volume option 'a\\nb'"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}
