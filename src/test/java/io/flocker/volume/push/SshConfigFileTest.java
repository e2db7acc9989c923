package io.flocker.volume.push;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshConfigFileTest {
    @TempDir
    Path dir;

    private SshConfigFile.Host look(String config, String destination) throws Exception {
        Path f = dir.resolve("config");
        Files.writeString(f, config);
        return SshConfigFile.lookup(f, Destination.parse(destination));
    }

    @Test
    void anAliasGivesHostUserPortAndKeysAndWhatTheDestinationNamesWins() throws Exception {
        String config = """
            # a comment
            Host node-b  other
              HostName 10.0.0.7
              User flocker
              Port 2222
              IdentityFile ~/.ssh/node_b
              IdentityFile /keys/%h-%r
            Host *
              User nobody
              Port 22
              IdentityFile /keys/default
            """;
        SshConfigFile.Host h = look(config, "node-b");
        assertEquals(new Destination("flocker", "10.0.0.7", 2222), h.apply(Destination.parse("node-b")));
        assertEquals(List.of(Path.of(System.getProperty("user.home"), ".ssh/node_b"), Path.of("/keys/10.0.0.7-flocker"),
            Path.of("/keys/default")), h.identityFiles());
        SshConfigFile.Host named = look(config, "root@node-b:2200");
        assertEquals(new Destination("root", "10.0.0.7", 2200), named.apply(Destination.parse("root@node-b:2200")));
        assertEquals(List.of(Path.of("/keys/10.0.0.7-root")).get(0), named.identityFiles().get(1), "%r is the user named");
        SshConfigFile.Host rest = look(config, "third");
        assertEquals(new Destination("nobody", "third", 22), rest.apply(Destination.parse("third")));
    }

    @Test
    void patternsNegationCaseAndTheFirstValueWins() throws Exception {
        String config = """
            Host *.lab !bad.lab
              HostName=%h.example
            Host BAD.lab
              HostName "spaced name"
            Host ?.lab
              HostName second.example
            """;
        assertEquals("a.lab.example", look(config, "a.lab").hostName(), "the first HostName wins; %h is the alias");
        SshFailed e = assertThrows(SshFailed.class, () -> look(config, "bad.lab"));
        assertTrue(e.getMessage().contains("config:4") && e.getMessage().contains("'spaced name'"), e.getMessage());
        assertEquals(SshConfigFile.Host.NONE.hostName(), look(config, "lab").hostName());
    }

    @Test
    void matchBlocksThatCanBeDecidedApplyAndOthersAreLeftOut() throws Exception {
        String config = """
            Match originalhost db-* user admin
              HostName decided.example
            Match exec "true"
              HostName never.example
            Match host db-1 !user admin
              Port 2022
            Match all
              HostKeyAlias db-key
            """;
        SshConfigFile.Host admin = look(config, "admin@db-1");
        assertEquals("decided.example", admin.hostName());
        assertEquals(-1, admin.port());
        assertEquals("db-key", admin.hostKeyAlias());
        SshConfigFile.Host other = look(config, "root@db-1");
        assertNull(other.hostName(), "Match exec is never taken as true");
        assertEquals(2022, other.port());
    }

    @Test
    void includesAreReadWhereTheirBlockAppliesRelativeToTheConfigsDirectory() throws Exception {
        Files.createDirectories(dir.resolve("conf.d"));
        Files.writeString(dir.resolve("conf.d/10-a.conf"), "Host a\n  HostName a.example\n");
        Files.writeString(dir.resolve("conf.d/20-b.conf"), "Host b\n  HostName b.example\n");
        Files.writeString(dir.resolve("only-c"), "HostName c.example\n");
        String config = "Include conf.d/*.conf\nHost c\n  Include only-c missing-file\nHost d\n  Include only-c\n";
        assertEquals("a.example", look(config, "a").hostName());
        assertEquals("b.example", look(config, "b").hostName());
        assertEquals("c.example", look(config, "c").hostName());
        assertEquals("c.example", look(config, "d").hostName());
        assertNull(look(config, "e").hostName(), "an Include inside a block that does not apply is not read");
        Files.writeString(dir.resolve("loop"), "Include loop\n");
        SshFailed deep = assertThrows(SshFailed.class, () -> look("Include loop\n", "a"));
        assertTrue(deep.getMessage().contains("deeper"), deep.getMessage());
    }

    @Test
    void aProxyIsRefusedNamingWhereItWasGivenAndNoneIsNoProxy() throws Exception {
        SshFailed e = assertThrows(SshFailed.class, () -> look("Host far\n  ProxyJump bastion\n", "far"));
        assertTrue(e.getMessage().contains("config:2") && e.getMessage().contains("ProxyJump")
            && e.getMessage().contains("'far'"), e.getMessage());
        assertNotNull(look("Host far\n  ProxyCommand none\n  ProxyJump bastion\n  HostName f\n", "far").hostName(),
            "the first of the two wins, as in OpenSSH");
        assertThrows(SshFailed.class, () -> look("Host *\n  ProxyCommand nc %h %p\n", "near"));
    }

    @Test
    void valuesThatCannotBeUsedAreRefusedNamingTheLine() throws Exception {
        for (String bad : List.of("Port 0", "Port x", "Port 70000", "HostName a;b", "User -oops", "IdentityFile /k/%z",
            "HostName \"open", "HostKeyAlias a/b", "HostName")) {
            SshFailed e = assertThrows(SshFailed.class, () -> look("Host h\n" + bad + "\n", "h"), bad);
            assertTrue(e.getMessage().contains("config:2"), bad + ": " + e.getMessage());
        }
        assertNull(look("Host h\nPort 0\n", "other").hostName(), "a block that does not apply is not checked");
    }

    @Test
    void noFileOrNoneSaysNothingAndUnknownKeywordsAreLeftToOurOwnSettings() throws Exception {
        assertSame(SshConfigFile.Host.NONE, SshConfigFile.lookup(null, Destination.parse("h")));
        assertSame(SshConfigFile.Host.NONE, SshConfigFile.lookup(dir.resolve("absent"), Destination.parse("h")));
        SshConfigFile.Host h = look("StrictHostKeyChecking no\nUserKnownHostsFile /dev/null\nCiphers none\n", "h");
        assertEquals(Destination.parse("h"), h.apply(Destination.parse("h")));
        assertEquals(List.of(), h.identityFiles());
    }

    @Test
    void wordsSplitOnBlanksOneEqualsSignAndQuotes() {
        assertEquals(List.of("HostName", "a"), SshConfigFile.words("  HostName = a  # note", "x"));
        assertEquals(List.of("IdentityFile", "/a b/c"), SshConfigFile.words("IdentityFile \"/a b/c\"", "x"));
        assertEquals(List.of("Host", "a=b"), SshConfigFile.words("Host=a=b", "x"));
        assertEquals(List.of(), SshConfigFile.words("# all comment", "x"));
    }

    @Test
    void theKeysOfferedAreTheNamedThenTheConfiguredOrElseTheDefaults() {
        SshSettings none = SshSettings.defaults();
        Path k = Path.of("/k"), c = Path.of("/c");
        assertEquals(List.of(k, c), none.withIdentities(List.of(k)).keysToOffer(List.of(c, k)));
        assertEquals(List.of(c), none.keysToOffer(List.of(c)));
        assertEquals(Path.of(System.getProperty("user.home"), ".ssh", "config"), none.sshConfig());
        assertNull(none.withSshConfig(null).sshConfig());
    }

    @Test
    void aProxiedDestinationIsRefusedBeforeAnyConnection() throws Exception {
        Path f = dir.resolve("config");
        Files.writeString(f, "Host far\n  ProxyJump bastion\n");
        SshFailed e = assertThrows(SshFailed.class, () -> SshConnection.open(Destination.parse("far"),
            SshSettings.defaults().withSshConfig(f).withIdentities(List.of(dir.resolve("no-such-key")))));
        assertTrue(e.getMessage().contains("ProxyJump"), e.getMessage());
    }
}
