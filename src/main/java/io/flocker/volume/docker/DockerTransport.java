package io.flocker.volume.docker;

import java.io.IOException;

/**
 * How a request reaches the Docker Engine API: one exchange of a method, a
 * path (unversioned, so every engine answers at its own API version) and an
 * optional JSON body for a status and a body. {@link DockerDataContainers}
 * builds requests and reads answers; a transport only moves the bytes, so a
 * test or an embedding service can put its own in.
 */
public interface DockerTransport extends AutoCloseable {
    /** An answer: the HTTP status and the body as text (empty for none). */
    record Response(int status, String body) {}

    /**
     * Sends one request and waits for its whole answer.
     *
     * @param jsonBody null for a request without a body
     * @param timeout how long the daemon may take to answer in full
     * @throws IOException when the daemon cannot be reached or its answer is cut off or malformed
     */
    Response exchange(String method, String path, String jsonBody, java.time.Duration timeout) throws IOException;

    /** Releases what the transport holds; the default holds nothing between requests. */
    @Override
    default void close() {}
}
