package io.flocker.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MountPathsTest {
    @Test
    void absolutePathsAreTakenAndTidied() {
        assertEquals(Path.of("/data"), MountPaths.of("/data"));
        assertEquals(Path.of("/var/lib/x"), MountPaths.of("/var//lib/x/"));
        assertEquals(Path.of("/my data"), MountPaths.of("/my data"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "data", "./data", "/", "//", "/a:b", "/a/../b", "/a/./b", "/a\nb", "~/x"})
    void othersAreRefusedNamingThem(String bad) {
        InvalidMountPath e = assertThrows(InvalidMountPath.class, () -> MountPaths.of(bad));
        assertTrue(e.getMessage().startsWith("invalid mount path " + VolumeException.quote(bad) + ": "), e.getMessage());
    }
}
