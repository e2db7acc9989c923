package io.flocker.volume.docker;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

/**
 * The daemon's own words from a docker-java exception, whose message is
 * {@code Status 409: {"message":"..."}}: the JSON is noise to a user.
 */
final class DockerMessages {
    private DockerMessages() {}

    static String of(com.github.dockerjava.api.exception.DockerException e) {
        String m = e.getMessage() == null ? "" : e.getMessage().strip();
        int brace = m.indexOf('{');
        if (brace >= 0) {
            try {
                JsonElement json = JsonParser.parseString(m.substring(brace));
                if (json.isJsonObject() && json.getAsJsonObject().has("message")) {
                    return json.getAsJsonObject().get("message").getAsString().strip() + " (HTTP " + e.getHttpStatus() + ")";
                }
            } catch (RuntimeException notJson) {
                // fall through to the raw text
            }
        }
        return m.replace('\n', ' ');
    }
}
