package io.flocker.ssh;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DestinationTest {
    @Test
    void parsesTheForms() {
        assertEquals(new Destination("root", "host.example", 22), Destination.parse("root@host.example"));
        assertEquals(new Destination("u", "10.0.0.2", 2222), Destination.parse("u@10.0.0.2:2222"));
        assertEquals(new Destination("u", "::1", 22), Destination.parse("u@[::1]"));
        assertEquals(System.getProperty("user.name"), Destination.parse("h").user());
        assertEquals("u@[::1]:2200", Destination.parse("u@[::1]:2200").toString());
        // Whether user and port were named matters to an SSH configuration's alias, not to equality.
        Destination bare = Destination.parse("h");
        assertFalse(bare.userGiven() || bare.portGiven());
        assertTrue(Destination.parse("u@h:22").userGiven() && Destination.parse("u@h:22").portGiven());
        assertEquals(new Destination(bare.user(), "h", 22), bare);
        assertEquals(new Destination(bare.user(), "h", 22).hashCode(), bare.hashCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "host:0", "host:70000", "us er@h", "-oProxyCommand=x", "h;rm -rf /", "u@", "@h", "h:x",
        "u@h@i", "h/path"})
    void refusesEverythingElseNamingIt(String bad) {
        InvalidDestination e = assertThrows(InvalidDestination.class, () -> Destination.parse(bad));
        assertTrue(bad.isEmpty() || e.getMessage().contains(bad) || e.getMessage().contains("port"), e.getMessage());
    }
}
