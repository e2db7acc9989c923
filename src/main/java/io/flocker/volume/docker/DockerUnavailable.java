package io.flocker.volume.docker;

/** The Docker daemon cannot be reached. */
public class DockerUnavailable extends DockerException {
    private static final long serialVersionUID = 1L;

    public DockerUnavailable(String host, Throwable cause) {
        super("cannot reach the Docker daemon at " + host + ": " + reason(cause)
            + " (is dockerd running? DOCKER_HOST chooses another daemon)", cause);
    }

    private static String reason(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String m = root.getMessage();
        return m == null || m.isBlank() ? root.getClass().getSimpleName() : m.strip().replace('\n', ' ');
    }
}
