package io.flocker.volume.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.flocker.volume.VolumeName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DockerDataContainersTest {
    private static final FakeDockerDaemon.Answer CREATED = new FakeDockerDaemon.Answer(201, "{\"Id\":\"c0ffee\",\"Warnings\":[]}");

    private static DockerDataContainers on(FakeDockerDaemon daemon) {
        return new DockerDataContainers("busybox", "unix:///fake.sock", daemon);
    }

    @Test
    void createMakesANamedContainerBindingTheMountpointAndNeverStartsIt() {
        FakeDockerDaemon daemon = new FakeDockerDaemon(r -> CREATED);
        try (DockerDataContainers c = on(daemon)) {
            c.create(VolumeName.of("web"), Path.of("/flocker/u.web"), Path.of("/var/www"));
        }
        assertEquals(1, daemon.requests.size(), "one request: create, no start");
        FakeDockerDaemon.Request r = daemon.requests.get(0);
        assertEquals("POST", r.method());
        assertEquals("/containers/create?name=flocker-web-data", r.path(), "unversioned: the daemon speaks its own API version");
        JsonObject body = JsonParser.parseString(r.body()).getAsJsonObject();
        assertEquals("busybox", body.get("Image").getAsString());
        JsonObject hostConfig = body.getAsJsonObject("HostConfig");
        assertTrue(hostConfig.get("Binds") == null || hostConfig.get("Binds").isJsonNull(),
            "no Bind: Docker would make a missing source as a directory on /");
        JsonObject mount = hostConfig.getAsJsonArray("Mounts").get(0).getAsJsonObject();
        assertEquals("bind", mount.get("Type").getAsString(), "a bind Mount: a missing source is an error");
        assertEquals("/flocker/u.web", mount.get("Source").getAsString());
        assertEquals("/var/www", mount.get("Target").getAsString());
        assertEquals("web", body.getAsJsonObject("Labels").get(DockerDataContainers.LABEL).getAsString());
        assertEquals("true", body.getAsJsonArray("Cmd").get(0).getAsString());
    }

    @Test
    void missingImageIsNamed() {
        FakeDockerDaemon daemon = new FakeDockerDaemon(r -> new FakeDockerDaemon.Answer(404, "{\"message\":\"No such image: nosuch:latest\"}"));
        try (DockerDataContainers c = new DockerDataContainers("nosuch", "unix:///fake.sock", daemon)) {
            ImageNotFound e = assertThrows(ImageNotFound.class,
                () -> c.create(VolumeName.of("v"), Path.of("/flocker/u.v"), Path.of("/d")));
            assertTrue(e.getMessage().startsWith("image 'nosuch' is not on the Docker daemon"), e.getMessage());
        }
    }

    @Test
    void takenNameIsNamed() {
        FakeDockerDaemon daemon = new FakeDockerDaemon(r -> new FakeDockerDaemon.Answer(409,
            "{\"message\":\"Conflict. The container name \\\"/flocker-v-data\\\" is already in use\"}"));
        try (DockerDataContainers c = on(daemon)) {
            ContainerExists e = assertThrows(ContainerExists.class,
                () -> c.create(VolumeName.of("v"), Path.of("/flocker/u.v"), Path.of("/d")));
            assertEquals("a Docker container named 'flocker-v-data' exists already", e.getMessage());
        }
    }

    @Test
    void otherRefusalsCarryTheDaemonsWords() {
        FakeDockerDaemon daemon = new FakeDockerDaemon(r -> new FakeDockerDaemon.Answer(500,
            "{\"message\":\"invalid mount config\"}"));
        try (DockerDataContainers c = on(daemon)) {
            DockerException e = assertThrows(DockerException.class,
                () -> c.create(VolumeName.of("v"), Path.of("/flocker/u.v"), Path.of("/d")));
            assertEquals("Docker refused to create container flocker-v-data: invalid mount config (HTTP 500)", e.getMessage());
        }
        FakeDockerDaemon garbled = new FakeDockerDaemon(r -> new FakeDockerDaemon.Answer(500, "oops\u001b[2J\nmore"));
        try (DockerDataContainers c = on(garbled)) {
            DockerException e = assertThrows(DockerException.class, () -> c.remove(VolumeName.of("v")));
            assertEquals("Docker refused to remove container flocker-v-data: oops\\u001b[2J more (HTTP 500)", e.getMessage(),
                "a body that is not JSON is shown as text, without control characters");
        }
    }

    @Test
    void unreachableDaemonIsOneClearError() {
        FakeDockerDaemon daemon = new FakeDockerDaemon(r -> {
            // what a unix socket channel throws when the socket is missing
            throw new java.io.UncheckedIOException(new java.net.SocketException("No such file or directory"));
        });
        try (DockerDataContainers c = on(daemon)) {
            for (Runnable call : List.<Runnable>of(
                () -> c.create(VolumeName.of("v"), Path.of("/flocker/u.v"), Path.of("/d")),
                () -> c.remove(VolumeName.of("v")),
                () -> c.exists(VolumeName.of("v")))) {
                DockerUnavailable e = assertThrows(DockerUnavailable.class, call::run);
                assertEquals("cannot reach the Docker daemon at unix:///fake.sock: No such file or directory "
                    + "(is dockerd running? DOCKER_HOST chooses another daemon)", e.getMessage());
            }
        }
    }

    @Test
    void aGarbledAnswerIsNotCalledAnUnreachableDaemon() {
        FakeDockerDaemon daemon = new FakeDockerDaemon(r -> {
            throw new java.io.UncheckedIOException(new DockerSocket.BadAnswer("the Docker daemon's answer was cut off"));
        });
        try (DockerDataContainers c = on(daemon)) {
            DockerException e = assertThrows(DockerException.class, () -> c.exists(VolumeName.of("v")));
            assertFalse(e instanceof DockerUnavailable, e.toString());
            assertEquals("the Docker daemon at unix:///fake.sock gave an answer that cannot be used when asked to inspect "
                + "container flocker-v-data: the Docker daemon's answer was cut off", e.getMessage());
        }
    }

    @Test
    void aBlankDockerHostIsTheLocalSocketAsForTheDockerCommand() {
        assertEquals("unix:///var/run/docker.sock", DockerDataContainers.dockerHost(null));
        assertEquals("unix:///var/run/docker.sock", DockerDataContainers.dockerHost(" "));
        assertEquals("tcp://box:2375", DockerDataContainers.dockerHost("tcp://box:2375"));
    }

    @Test
    void removeAndExistsTellMissingFromPresent() {
        FakeDockerDaemon daemon = new FakeDockerDaemon(r -> r.path().contains("flocker-there-data")
            ? new FakeDockerDaemon.Answer(r.method().equals("DELETE") ? 204 : 200, r.method().equals("DELETE") ? null
                : "{\"Id\":\"c0ffee\",\"Name\":\"/flocker-there-data\"}")
            : new FakeDockerDaemon.Answer(404, "{\"message\":\"No such container\"}"));
        try (DockerDataContainers c = on(daemon)) {
            assertTrue(c.exists(VolumeName.of("there")));
            assertFalse(c.exists(VolumeName.of("gone")));
            assertTrue(c.remove(VolumeName.of("there")));
            assertFalse(c.remove(VolumeName.of("gone")));
        }
        FakeDockerDaemon.Request delete = daemon.requests.get(2);
        assertEquals("DELETE", delete.method());
        assertTrue(delete.path().matches("(/v[0-9.]+)?/containers/flocker-there-data(\\?.*)?"), delete.path());
    }

    private static final String RUNNING = "[{\"Id\":\"aaa111aaa111\",\"Names\":[\"/web\"],\"Mounts\":[{\"Type\":\"bind\","
        + "\"Source\":\"/flocker/u.web\",\"Destination\":\"/data\"}]},"
        + "{\"Id\":\"bbb222bbb222\",\"Names\":[\"/sub\"],\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"/flocker/u.web/logs\","
        + "\"Destination\":\"/logs\"}]},"
        + "{\"Id\":\"ccc333ccc333\",\"Names\":[\"/other\"],\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"/flocker/u.webby\","
        + "\"Destination\":\"/d\"},{\"Type\":\"volume\",\"Name\":\"x\",\"Source\":\"\",\"Destination\":\"/e\"}]},"
        + "{\"Id\":\"ddd444ddd444\",\"Names\":[\"/none\"]}]";

    @Test
    void usingListsTheRunningContainersWithTheMountpointOrAPathInItMounted() {
        FakeDockerDaemon daemon = new FakeDockerDaemon(r -> {
            if (r.path().startsWith("/containers/json")) return new FakeDockerDaemon.Answer(200, RUNNING);
            if (r.path().startsWith("/containers/aaa111aaa111/json")) return new FakeDockerDaemon.Answer(200,
                "{\"Id\":\"aaa111aaa111\",\"State\":{\"Running\":true,\"Pid\":4242}}");
            if (r.path().startsWith("/containers/bbb222bbb222/json")) return new FakeDockerDaemon.Answer(404,
                "{\"message\":\"No such container\"}"); // gone meanwhile
            return new FakeDockerDaemon.Answer(500, "{\"message\":\"unexpected " + r.path() + "\"}");
        });
        try (DockerDataContainers c = on(daemon)) {
            assertEquals(List.of(new RunningContainers.Container("aaa111aaa111", "web", 4242)), c.using(Path.of("/flocker/u.web")),
                "a container gone between list and inspect is no user; a sibling path (u.webby) is not inside");
        }
        assertEquals("GET", daemon.requests.get(0).method());
        assertFalse(daemon.requests.get(0).path().contains("all=true"), "running containers only: "
            + daemon.requests.get(0).path());
    }

    @Test
    void aListingThatIsNotWhatDockerSendsIsRefusedNotUsed() {
        for (String listing : new String[] {"[{\"Id\":\"../../images/create?fromImage=evil\",\"Mounts\":[{\"Source\":\"/flocker/u.web\"}]}]",
                "{\"not\":\"a list\"}", "[{\"Names\":[\"/noid\"]}]"}) {
            FakeDockerDaemon daemon = new FakeDockerDaemon(r -> new FakeDockerDaemon.Answer(200, listing));
            try (DockerDataContainers c = on(daemon)) {
                DockerException e = assertThrows(DockerException.class, () -> c.using(Path.of("/flocker/u.web")), listing);
                assertTrue(e.getMessage().startsWith("the Docker daemon at unix:///fake.sock "), e.getMessage());
            }
            assertEquals(1, daemon.requests.size(), "nothing asked after a bad listing: " + daemon.requests);
        }
    }

    @Test
    void anyHasVolumeAsksForAllContainersWithItAndChecksWhatCameBack() {
        String listed = "[{\"Id\":\"aaa111aaa111\",\"Mounts\":[{\"Type\":\"volume\",\"Name\":\"pg\","
            + "\"Destination\":\"/data\"}]},{\"Id\":\"bbb222bbb222\",\"Mounts\":[{\"Type\":\"bind\","
            + "\"Source\":\"/x\",\"Destination\":\"pg\"}]}]";
        FakeDockerDaemon daemon = new FakeDockerDaemon(r -> new FakeDockerDaemon.Answer(200,
            r.path().contains("pg") ? listed : "[]"));
        try (DockerDataContainers c = on(daemon)) {
            assertTrue(c.anyHasVolume(VolumeName.of("pg")));
            assertFalse(c.anyHasVolume(VolumeName.of("web")));
        }
        String path = daemon.requests.get(0).path();
        assertTrue(path.startsWith("/containers/json?all=true&filters="), path);
        assertEquals("{\"volume\":[\"pg\"]}", java.net.URLDecoder.decode(path.substring(path.indexOf("filters=") + 8),
            StandardCharsets.UTF_8));
        // A daemon that ignored the filter and listed containers without the volume: none has it.
        FakeDockerDaemon ignoring = new FakeDockerDaemon(r -> new FakeDockerDaemon.Answer(200, listed));
        try (DockerDataContainers c = on(ignoring)) {
            assertFalse(c.anyHasVolume(VolumeName.of("other")), "a mount's destination named like it is not the volume");
        }
        for (String bad : new String[] {"[{\"Mounts\":[{\"Name\":\"pg\"}]}]", "null", "{}"}) {
            FakeDockerDaemon d = new FakeDockerDaemon(r -> new FakeDockerDaemon.Answer(200, bad));
            try (DockerDataContainers c = on(d)) {
                assertThrows(DockerException.class, () -> c.anyHasVolume(VolumeName.of("pg")), bad);
            }
        }
    }

    @Test
    void stopStopsWithTheGraceAndTakesAStoppedOneAsDone() {
        FakeDockerDaemon daemon = new FakeDockerDaemon(r -> new FakeDockerDaemon.Answer(
            r.path().contains("aaa111aaa111") ? 204 : 304, null));
        try (DockerDataContainers c = on(daemon)) {
            c.stop(new RunningContainers.Container("aaa111aaa111", "web", 1), java.time.Duration.ofSeconds(7));
            c.stop(new RunningContainers.Container("bbb222bbb222", "old", 2), java.time.Duration.ofSeconds(7));
        }
        assertEquals("POST", daemon.requests.get(0).method());
        assertEquals("/containers/aaa111aaa111/stop?t=7", daemon.requests.get(0).path());
        assertTrue(daemon.requests.get(0).timeout().compareTo(java.time.Duration.ofSeconds(7)) > 0,
            "the answer may take the grace and more: " + daemon.requests.get(0).timeout());
    }

    @Test
    void noConnectionUntilFirstUse() {
        FakeDockerDaemon daemon = new FakeDockerDaemon(r -> CREATED);
        on(daemon).close();
        assertEquals(List.of(), daemon.requests);
    }

    @Test
    void anImageIsRequired() {
        assertThrows(IllegalArgumentException.class, () -> new DockerDataContainers(" "));
    }
}
