package io.flocker.lzc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Strings cross into native code as UTF-8 when the JVM's default charset is US-ASCII (LANG=C on JDK 17). */
class Utf8Test {
    /** Runs {@link Utf8Worker} with US-ASCII as the default charset; its output. */
    static List<String> underLangC(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:TieredStopAtLevel=1", "-Dfile.encoding=ANSI_X3.4-1968", "-cp", System.getProperty("java.class.path"),
            Utf8Worker.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("LANG", "C");
        pb.environment().remove("LC_ALL");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out.lines().toList();
    }

    @Test
    void nvlistKeysAndValuesKeepTheirCharacters() throws Exception {
        List<String> lines = underLangC();
        assertEquals("charset US-ASCII", lines.get(0), "the worker really runs with US-ASCII");
        assertEquals(List.of("ok nvlist key and value", "ok nvlist string array"), lines.subList(1, lines.size()));
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("BAD")));
    }
}
