package io.flocker.volume.docker;

import com.github.dockerjava.transport.DockerHttpClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A Docker daemon as docker-java's transport sees it: requests in, canned
 * answers out. docker-java itself (commands, JSON, error mapping) runs for
 * real on top of it.
 */
final class FakeDockerDaemon implements DockerHttpClient {
    /** One request as it reached the transport. */
    record Request(String method, String path, String body) {}

    /** An answer: status and JSON body (null for none). */
    record Answer(int status, String body) {}

    final List<Request> requests = new ArrayList<>();
    private final Function<Request, Answer> answers;

    FakeDockerDaemon(Function<Request, Answer> answers) {
        this.answers = answers;
    }

    @Override
    public synchronized Response execute(DockerHttpClient.Request request) {
        String body = request.bodyBytes() != null ? new String(request.bodyBytes(), StandardCharsets.UTF_8)
            : readAll(request.body());
        Request r = new Request(request.method(), request.path(), body);
        requests.add(r);
        Answer a = answers.apply(r);
        byte[] bytes = a.body() == null ? new byte[0] : a.body().getBytes(StandardCharsets.UTF_8);
        return new Response() {
            @Override public int getStatusCode() { return a.status(); }
            @Override public Map<String, List<String>> getHeaders() {
                return a.body() == null ? Map.of() : Map.of("Content-Type", List.of("application/json"));
            }
            @Override public InputStream getBody() { return new ByteArrayInputStream(bytes); }
            @Override public void close() {}
        };
    }

    private static String readAll(InputStream in) {
        if (in == null) return "";
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    @Override
    public void close() {}
}
