package io.flocker.volume.docker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flocker.fuzz.Fuzz;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Docker daemon's answers, as bytes on the socket and as JSON bodies, fuzzed. */
class DockerAnswersFuzzTest {
    private static final byte[][] VALID = {
        ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n[]").getBytes(StandardCharsets.US_ASCII),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n[{}\r\n1\r\n]\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII),
        ("HTTP/1.1 404 Not Found\r\n\r\n{\"message\":\"No such container: x\"}").getBytes(StandardCharsets.US_ASCII)};

    @Test
    void httpAnswers() {
        var outcomes = Fuzz.run("DockerSocket.parse", r -> r.nextInt(5) == 0 ? Fuzz.bytes(r, 200) : Fuzz.mutate(r, Fuzz.oneOf(r, VALID)), raw -> {
            try {
                DockerTransport.Response answer = DockerSocket.parse(raw);
                assertTrue(answer.status() >= 100 && answer.status() <= 599 && answer.body() != null, answer.toString());
                return "parsed";
            } catch (IOException refused) {
                assertTrue(refused.getMessage().startsWith("the Docker daemon's "), refused.getMessage());
                return "refused";
            }
        });
        assertTrue(outcomes.getOrDefault("parsed", 0) > 0, outcomes.toString());
    }

    private static final String LISTING = "[{\"Id\":\"aaa111aaa111\",\"Names\":[\"/web\"],\"Mounts\":[{\"Type\":\"bind\","
        + "\"Source\":\"/flocker/u.web\",\"Destination\":\"/data\"}]},{\"Id\":\"bbb222bbb222\",\"Names\":[\"/x\"]}]";

    @Test
    void runningContainerListings() {
        var outcomes = Fuzz.run("DockerDataContainers.using (listing JSON)", r -> new String[] {
            r.nextInt(4) == 0 ? Fuzz.text(r, 20) : Fuzz.mutate(r, LISTING),
            r.nextBoolean() ? "{\"State\":{\"Pid\":42}}" : Fuzz.mutate(r, "{\"State\":{\"Pid\":42}}")}, bodies -> {
            FakeDockerDaemon daemon = new FakeDockerDaemon(req -> new FakeDockerDaemon.Answer(200,
                req.path().startsWith("/containers/json") ? bodies[0] : bodies[1]));
            try (DockerDataContainers c = new DockerDataContainers("busybox", "unix:///fake.sock", daemon)) {
                List<RunningContainers.Container> users = c.using(Path.of("/flocker/u.web"));
                for (RunningContainers.Container u : users) {
                    assertTrue(u.id().matches("[0-9a-f]{12,64}") && u.pid() >= 0, u.toString());
                }
                return users.isEmpty() ? "no users" : "users";
            } catch (DockerException refused) {
                return "refused";
            } finally {
                for (FakeDockerDaemon.Request q : daemon.requests) {
                    assertTrue(q.path().matches("/containers/(json|[0-9a-f]{12,64}/json)"), "asked only for what was valid: " + q);
                }
            }
        });
        assertTrue(outcomes.getOrDefault("users", 0) > 0, "some listings are used: " + outcomes);
    }
}
