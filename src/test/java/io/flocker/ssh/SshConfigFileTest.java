package io.flocker.ssh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.*;

class SshConfigFileTest {
    @TempDir
    Path dir;

    private SshConfigFile.Host look(String config, String destination) throws Exception {
        Path f = dir.resolve("config");
        Files.writeString(f, config);
        return SshConfigFile.lookup(f, Destination.parse(destination), true);
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
    void includesAreReadWhereTheirBlockAppliesWithGlobsInAnyPart() throws Exception {
        Files.createDirectories(dir.resolve("conf.d/x"));
        Files.writeString(dir.resolve("conf.d/10-a.conf"), "Host a\n  HostName a.example\n");
        Files.writeString(dir.resolve("conf.d/20-b.conf"), "Host b\n  HostName b.example\n");
        Files.writeString(dir.resolve("conf.d/.10-a.conf.swp"), "Host a\n  HostName editor.example\n");
        Files.writeString(dir.resolve("conf.d/x/config"), "Host x\n  HostName x.example\n");
        Files.writeString(dir.resolve("{braces}"), "Host f\n  HostName f.example\n");
        Files.writeString(dir.resolve("only-c"), "HostName c.example\n");
        String config = "Include " + dir + "/conf.d/*.conf " + dir + "/conf.d/*/config " + dir + "/{braces}\n"
            + "Host c\n  Include " + dir + "/only-c " + dir + "/missing-file\nHost d\n  Include " + dir + "/only-c\n";
        assertEquals("a.example", look(config, "a").hostName(), "a dot file is matched only by a pattern with the dot");
        assertEquals("b.example", look(config, "b").hostName());
        assertEquals("x.example", look(config, "x").hostName(), "a pattern in a directory's name");
        assertEquals("f.example", look(config, "f").hostName(), "braces are plain characters, as in glob(3)");
        assertEquals("c.example", look(config, "c").hostName());
        assertEquals("c.example", look(config, "d").hostName());
        assertNull(look(config, "e").hostName(), "an Include inside a block that does not apply is not read");
        Files.writeString(dir.resolve("loop"), "Include " + dir + "/loop\n");
        SshFailed deep = assertThrows(SshFailed.class, () -> look("Include " + dir + "/loop\n", "a"));
        assertTrue(deep.getMessage().contains("deeper"), deep.getMessage());
    }

    @Test
    void identityFileTokensTakeTheFinalUserHostAndPortAndTheEnvironment() throws Exception {
        String config = "Host box\n  IdentityFile /k/%r@%h:%p\n  IdentityFile ${HOME}/k2\n  User deploy\n"
            + "  HostName box.example\n  Port 2200\n";
        assertEquals(List.of(Path.of("/k/deploy@box.example:2200"), Path.of(System.getenv("HOME"), "k2")),
            look(config, "box").identityFiles());
        SshFailed unset = assertThrows(SshFailed.class,
            () -> look("IdentityFile ${FLOCKER_SURELY_UNSET_VARIABLE}/k\n", "box"));
        assertTrue(unset.getMessage().contains("FLOCKER_SURELY_UNSET_VARIABLE") && unset.getMessage().contains("config:1"),
            unset.getMessage());
    }

    @Test
    void aMatchThatCannotBeDecidedMayNotHideAProxy() throws Exception {
        String config = "Match host *.corp !exec \"nc -z %h 22\"\n  ProxyJump bastion\n  HostName never.example\n";
        SshFailed e = assertThrows(SshFailed.class, () -> look(config, "db.corp"));
        assertTrue(e.getMessage().contains("config:2") && e.getMessage().contains("cannot decide"), e.getMessage());
        assertNull(look("Match exec true\n  HostName never.example\n  ProxyJump none\n", "h").hostName(),
            "its other settings are left out");
    }

    @Test
    void aFileNamedOnPurposeMustExistAndNoFileOthersMayWriteIsRead() throws Exception {
        SshFailed missing = assertThrows(SshFailed.class,
            () -> SshConfigFile.lookup(dir.resolve("typo"), Destination.parse("h"), true));
        assertTrue(missing.getMessage().contains("does not exist") && missing.getMessage().contains("typo"),
            missing.getMessage());
        Path open = dir.resolve("group-writable");
        Files.writeString(open, "Host h\n  HostName elsewhere.example\n");
        Files.setPosixFilePermissions(open, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-r--"));
        SshFailed writable = assertThrows(SshFailed.class, () -> SshConfigFile.lookup(open, Destination.parse("h"), true));
        assertTrue(writable.getMessage().contains("others may write it"), writable.getMessage());
        Path included = dir.resolve("included");
        Files.writeString(included, "HostName elsewhere.example\n");
        Files.setPosixFilePermissions(included, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--rw-"));
        SshFailed viaInclude = assertThrows(SshFailed.class, () -> look("Include " + included + "\n", "h"));
        assertTrue(viaInclude.getMessage().contains("included"), viaInclude.getMessage());
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
        assertSame(SshConfigFile.Host.NONE, SshConfigFile.lookup(null, Destination.parse("h"), true));
        assertSame(SshConfigFile.Host.NONE, SshConfigFile.lookup(dir.resolve("absent"), Destination.parse("h"), false));
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
        assertEquals(List.of("IdentityFile", "~/a b"), SshConfigFile.words("IdentityFile '~/a b'", "x"));
        assertEquals(List.of("IdentityFile", "/a b", "c\"d"), SshConfigFile.words("IdentityFile /a\\ b \"c\\\"d\"", "x"));
        assertEquals(List.of("HostName", "a\\b"), SshConfigFile.words("HostName a\\\\b", "x"));
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
        SshFailed e = assertThrows(SshFailed.class, () -> SshLogin.open(Destination.parse("far"),
            SshSettings.defaults().withSshConfig(f).withIdentities(List.of(dir.resolve("no-such-key")))));
        assertTrue(e.getMessage().contains("ProxyJump"), e.getMessage());
    }
}
