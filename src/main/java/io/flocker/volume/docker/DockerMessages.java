package io.flocker.volume.docker;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.flocker.volume.VolumeException;

/** The daemon's own words from an error answer, whose body is {@code {"message":"..."}}: the JSON is noise to a user. */
final class DockerMessages {
    private static final int MAX = 500;

    private DockerMessages() {}

    static String of(DockerTransport.Response r) {
        String text = r.body() == null ? "" : r.body().strip();
        try {
            JsonElement json = JsonParser.parseString(text);
            JsonElement m = json.isJsonObject() ? json.getAsJsonObject().get("message") : null;
            if (m != null && m.isJsonPrimitive()) text = m.getAsString().strip();
        } catch (RuntimeException notJson) {
            // the raw text, cleaned below
        }
        if (text.length() > MAX) text = text.substring(0, MAX) + "...";
        // The daemon's text reaches a terminal: no control characters.
        text = VolumeException.printable(text.replace('\n', ' '));
        return (text.isEmpty() ? "no reason given" : text) + " (HTTP " + r.status() + ")";
    }
}
