package io.flocker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class CliLoggingTest {
    private static final String LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

    private static Properties configured(Map<String, String> env, String... args) {
        Properties p = new Properties();
        assertNull(CliLogging.configure(args, env, p));
        return p;
    }

    @Test
    void aShortCommandLogsOnlyErrorsSoItsFailureStaysOneLine() {
        Properties p = configured(Map.of(), "--pool", "plugin", "create", "v", "/d");
        assertEquals("error", p.getProperty(LEVEL));
        assertEquals("System.err", p.getProperty("org.slf4j.simpleLogger.logFile"), "stdout is the command's answer");
        assertEquals("false", p.getProperty("org.slf4j.simpleLogger.showDateTime"));
    }

    @Test
    void verboseAndThePluginLogWhatChanged() {
        assertEquals("info", configured(Map.of(), "-v", "--pool", "p", "list").getProperty(LEVEL));
        assertEquals("info", configured(Map.of(), "--verbose", "push", "v", "h").getProperty(LEVEL));
        Properties plugin = configured(Map.of(), "--config", "c.json", "plugin", "--socket", "/run/x.sock");
        assertEquals("info", plugin.getProperty(LEVEL));
        assertEquals("true", plugin.getProperty("org.slf4j.simpleLogger.showDateTime"), "a service's lines say when");
        assertEquals("warn", plugin.getProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty"));
        // -v after the command is not the root option (a volume named -v is refused as such)
        assertEquals("error", configured(Map.of(), "create", "-v").getProperty(LEVEL));
    }

    @Test
    void theEnvironmentSetsTheLevelAndJvmOptionsWinOverIt() {
        assertEquals("debug", configured(Map.of(CliLogging.ENV, " DEBUG "), "list").getProperty(LEVEL));
        assertEquals("off", configured(Map.of(CliLogging.ENV, "off"), "plugin").getProperty(LEVEL));
        assertEquals("error", configured(Map.of(CliLogging.ENV, ""), "list").getProperty(LEVEL), "empty: the default");
        Properties p = new Properties();
        p.setProperty(LEVEL, "trace");
        assertNull(CliLogging.configure(new String[] {"list"}, Map.of(CliLogging.ENV, "info"), p));
        assertEquals("trace", p.getProperty(LEVEL));
    }

    @Test
    void aLevelThatIsNoneIsRefusedNamingItAndChangesNothing() {
        Properties p = new Properties();
        String e = CliLogging.configure(new String[] {"list"}, Map.of(CliLogging.ENV, "loud"), p);
        assertTrue(e.contains("FLOCKER_VOLUME_LOG=loud") && e.contains("info"), e);
        assertTrue(p.isEmpty(), p.toString());
    }

    @Test
    void theCommandIsFoundAsTheLauncherFindsIt() {
        assertEquals("receive", CliLogging.commandOf(new String[] {"-v", "--config", "plugin", "receive", "x"}));
        assertNull(CliLogging.commandOf(new String[] {"-v", "--pool"}));
        assertNull(CliLogging.commandOf(new String[0]));
    }
}
