package io.flocker.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeIdentityTest {
    @TempDir
    Path dir;

    @Test
    void firstUseMakesTheFileAndItsDirectories() throws Exception {
        Path file = dir.resolve("etc/flocker/volume.json");
        NodeIdentity id = NodeIdentity.load(file);
        JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        assertEquals(id.uuid().toString(), o.get("uuid").getAsString());
        assertEquals(1, o.get("version").getAsInt());
        assertEquals(4, id.uuid().version(), "a random (version 4) UUID");
        assertEquals(List.of("volume.json"), listNames(file.getParent()), "no temporary file is left");
    }

    @Test
    void laterUsesReadTheSameIdentityAndNeverRewrite() throws Exception {
        Path file = dir.resolve("volume.json");
        UUID first = NodeIdentity.load(file).uuid();
        byte[] before = Files.readAllBytes(file);
        assertEquals(first, NodeIdentity.load(file).uuid());
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    void flockersOwnFormatIsRead() throws Exception {
        Path file = dir.resolve("volume.json");
        Files.writeString(file, "{\"uuid\": \"0b6c1fc4-3a7e-4b3f-9a59-2c1e7f3d8a10\", \"version\": 1}");
        assertEquals(UUID.fromString("0b6c1fc4-3a7e-4b3f-9a59-2c1e7f3d8a10"), NodeIdentity.load(file).uuid());
    }

    @Test
    void concurrentFirstUsesAgree() throws Exception {
        Path file = dir.resolve("race/volume.json");
        ExecutorService ex = Executors.newFixedThreadPool(8);
        List<Future<UUID>> fs = new ArrayList<>();
        for (int i = 0; i < 8; i++) fs.add(ex.submit(() -> NodeIdentity.load(file).uuid()));
        Set<UUID> seen = new HashSet<>();
        for (Future<UUID> f : fs) seen.add(f.get());
        ex.shutdown();
        assertEquals(1, seen.size(), seen.toString());
        assertEquals(seen.iterator().next(), NodeIdentity.load(file).uuid());
    }

    @Test
    void badFilesAreErrorsNamingTheFileAndAreLeftAlone() throws Exception {
        String[][] cases = {
            {"not json {", "is not JSON"},
            {"", "is empty"},
            {"[1, 2]", "is not a JSON object"},
            {"{\"uuid\": \"0b6c1fc4-3a7e-4b3f-9a59-2c1e7f3d8a10\", \"version\": 2}", "has version 2"},
            {"{\"uuid\": \"0b6c1fc4-3a7e-4b3f-9a59-2c1e7f3d8a10\"}", "has version (none)"},
            {"{\"uuid\": \"0b6c1fc4-3a7e-4b3f-9a59-2c1e7f3d8a10\", \"version\": \"1\"}", "has version \"1\""},
            {"{\"uuid\": \"nope\", \"version\": 1}", "has no valid \"uuid\""},
            {"{\"version\": 1}", "has no valid \"uuid\""},
        };
        for (String[] c : cases) {
            Path file = dir.resolve("bad.json");
            Files.writeString(file, c[0]);
            ConfigException e = assertThrows(ConfigException.class, () -> NodeIdentity.load(file), c[0]);
            assertTrue(e.getMessage().startsWith("node identity file " + file + ": "), e.getMessage());
            assertTrue(e.getMessage().contains(c[1]), c[1] + " in: " + e.getMessage());
            assertEquals(c[0], Files.readString(file), "the file is not overwritten");
        }
    }

    @Test
    void notUtf8IsNotJson() throws Exception {
        Path file = dir.resolve("bin.json");
        Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, 0});
        assertTrue(assertThrows(ConfigException.class, () -> NodeIdentity.load(file)).getMessage().contains("is not JSON"));
    }

    @Test
    void unreadableFileIsAnError() throws Exception {
        Path file = dir.resolve("volume.json");
        Files.createDirectory(file);
        ConfigException e = assertThrows(ConfigException.class, () -> NodeIdentity.load(file));
        assertEquals("node identity file " + file + ": cannot be read: Is a directory", e.getMessage());
        assertTrue(Files.isDirectory(file));
    }

    @Test
    void pathThroughAFileIsAnError() throws Exception {
        Path blocker = dir.resolve("file");
        Files.writeString(blocker, "x", StandardCharsets.UTF_8);
        Path file = blocker.resolve("volume.json");
        ConfigException e = assertThrows(ConfigException.class, () -> NodeIdentity.load(file));
        assertTrue(e.getMessage().contains("cannot be read: Not a directory"), e.getMessage());
    }

    @Test
    void uncreatableDirectoryIsAnError() {
        // Not even root may make directories in /proc.
        Path file = Path.of("/proc/flocker-" + UUID.randomUUID() + "/volume.json");
        ConfigException e = assertThrows(ConfigException.class, () -> NodeIdentity.load(file));
        assertTrue(e.getMessage().startsWith("node identity file " + file + ": cannot create its directory "), e.getMessage());
    }

    private static List<String> listNames(Path d) throws Exception {
        try (var s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
