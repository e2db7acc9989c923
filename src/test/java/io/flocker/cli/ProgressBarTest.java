package io.flocker.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    @Test
    void drawsBytesShareAndRateOnOneRedrawnLine() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(buf, true, StandardCharsets.UTF_8));
        bar.started("sending db", 100L << 20);
        Thread.sleep(250);
        bar.progress(50L << 20);
        bar.finished(100L << 20);
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("\rsending db: 50.0 MiB of ~100.0 MiB  50%"), out);
        assertTrue(out.contains("left"), "an estimate of the time left while it runs: " + out);
        assertTrue(out.contains("100.0 MiB of ~100.0 MiB 100%"), out);
        assertTrue(out.endsWith("\n"), "the finished line stays");
        assertEquals("1.5 KiB", ProgressBar.size(1536));
        assertEquals("12 B", ProgressBar.size(12));
    }
}
