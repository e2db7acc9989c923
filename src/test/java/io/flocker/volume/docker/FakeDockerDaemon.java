package io.flocker.volume.docker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A Docker daemon as the transport sees it: requests in, canned answers out.
 * {@link DockerDataContainers} itself (requests, JSON, error mapping) runs
 * for real on top of it.
 */
final class FakeDockerDaemon implements DockerTransport {
    /** One request as it reached the transport. */
    record Request(String method, String path, String body, Duration timeout) {}

    /** An answer: status and JSON body (null for none). */
    record Answer(int status, String body) {}

    final List<Request> requests = new ArrayList<>();
    private final Function<Request, Answer> answers;

    FakeDockerDaemon(Function<Request, Answer> answers) {
        this.answers = answers;
    }

    @Override
    public synchronized Response exchange(String method, String path, String jsonBody, Duration timeout)
            throws java.io.IOException {
        Request r = new Request(method, path, jsonBody == null ? "" : jsonBody, timeout);
        requests.add(r);
        Answer a;
        try {
            a = answers.apply(r);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        return new Response(a.status(), a.body() == null ? "" : a.body());
    }
}
