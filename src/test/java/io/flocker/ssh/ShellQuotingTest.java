package io.flocker.ssh;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShellQuotingTest {
    @Test
    void everyArgumentIsOneWordWhateverItHolds() {
        assertEquals("'plain'", ShellQuoting.quote("plain"));
        assertEquals("'it'\"'\"'s'", ShellQuoting.quote("it's"));
        assertEquals("'$(reboot); `x` && y | z > /etc/passwd'", ShellQuoting.quote("$(reboot); `x` && y | z > /etc/passwd"));
        assertEquals("''", ShellQuoting.quote(""));
        assertEquals("flocker-volume --pool p 'receive' 'a b' ''\"'\"''",
            ShellQuoting.command("flocker-volume --pool p", List.of("receive", "a b", "'")));
    }

    @Test
    void quotedWordsSurviveARealShell() throws Exception {
        String nasty = "a'b\"c$(touch /tmp/pwned-by-test)`d`;e|f\\g\nh";
        Process p = new ProcessBuilder("sh", "-c", ShellQuoting.command("printf '%s'", List.of(nasty))).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor());
        assertEquals(nasty, out);
        assertFalse(new java.io.File("/tmp/pwned-by-test").exists());
    }
}
