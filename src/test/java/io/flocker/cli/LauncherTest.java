package io.flocker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/flocker-volume's choice of JIT: C1 alone for short commands, C2 for
 * push and handoff. Run with a JAVA_HOME whose java prints its arguments.
 */
class LauncherTest {
    private static final Path LAUNCHER = Path.of("bin/flocker-volume").toAbsolutePath();

    @TempDir
    Path home;
    private Path jar;

    @BeforeEach
    void fakeJava() throws IOException {
        Path bin = Files.createDirectories(home.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        jar = Files.createFile(home.resolve("flocker-volume.jar"));
    }

    private List<String> javaArgs(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("sh", LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", home.toString());
        pb.environment().put("FLOCKER_VOLUME_JAR", jar.toString());
        pb.environment().remove("FLOCKER_VOLUME_JAVA_OPTS");
        pb.environment().remove("FLOCKER_VOLUME_CDS");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out.lines().toList();
    }

    @Test
    void shortCommandsRunOnC1Alone() throws Exception {
        for (String[] args : new String[][] {{}, {"list"}, {"receive", "--announce", "u", "push"},
            {"--pool", "push", "create", "v"}, {"--config", "handoff", "list"}, {"--mountpoint", "/x", "list"}}) {
            List<String> a = javaArgs(args);
            assertTrue(a.contains("-XX:TieredStopAtLevel=1"), List.of(args) + " -> " + a);
            assertEquals(List.of(args), a.subList(a.indexOf("-jar") + 2, a.size()), "arguments passed on unchanged");
        }
    }

    @Test
    void theJvmsWarningsGoToStderrNotIntoAnswersOnStdout() throws Exception {
        List<String> a = javaArgs("receive", "--announce", "u", "n");
        int off = a.indexOf("-Xlog:disable"), on = a.indexOf("-Xlog:all=warning:stderr");
        assertTrue(off >= 0 && on > off, a.toString());
    }

    @Test
    void aClassDataArchiveIsUsedOnlyWhenNewerThanTheJarAndItsWarningsAreSilenced() throws Exception {
        assertFalse(javaArgs("list").stream().anyMatch(s -> s.startsWith("-XX:SharedArchiveFile")), "none made: none used");
        Path jsa = Path.of(jar + ".jsa");
        Files.writeString(jsa, "archive");
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        List<String> a = javaArgs("list");
        int share = a.indexOf("-XX:SharedArchiveFile=" + jsa);
        assertTrue(share >= 0 && a.get(share + 1).equals("-Xlog:cds*=off:stderr") && share < a.indexOf("-jar"), a.toString());
        Files.setLastModifiedTime(jsa, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 120_000));
        assertFalse(javaArgs("list").stream().anyMatch(s -> s.startsWith("-XX:SharedArchiveFile")), "older than the jar: stale");
    }

    @Test
    void anArchiveInADirectoryWithASpaceIsOneArgument() throws Exception {
        Path spaced = Files.createDirectories(home.resolve("my apps"));
        jar = Files.createFile(spaced.resolve("flocker-volume.jar"));
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Files.writeString(Path.of(jar + ".jsa"), "archive");
        List<String> a = javaArgs("list");
        assertTrue(a.contains("-XX:SharedArchiveFile=" + jar + ".jsa"), a.toString());
        assertEquals(List.of(jar.toString(), "list"), a.subList(a.indexOf("-jar") + 1, a.size()));
    }

    @Test
    void pushHandoffAndTheAgentGetC2() throws Exception {
        for (String[] args : new String[][] {{"push", "v", "host"}, {"-v", "--pool", "p", "push", "v", "host"},
            {"--config", "c.json", "handoff", "v", "host"}, {"agent"}, {"--pool", "p", "plugin", "--socket", "/s"}}) {
            List<String> a = javaArgs(args);
            assertFalse(a.stream().anyMatch(s -> s.startsWith("-XX:TieredStopAtLevel")), List.of(args) + " -> " + a);
            assertEquals(List.of(args), a.subList(a.indexOf("-jar") + 2, a.size()));
        }
    }
}
