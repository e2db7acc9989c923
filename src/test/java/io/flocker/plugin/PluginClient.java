package io.flocker.plugin;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Transport;

/** Talks to a plugin's socket as dockerd does: POST, JSON, the plugin media type. For tests. */
public final class PluginClient implements AutoCloseable {
    private final HttpClient http = new HttpClient();
    private final Path socket;

    /** One answer: status, media type, the JSON body. */
    public record Reply(int status, String mediaType, JsonObject body) {
        /** The Err field, "" when there is none. */
        public String err() {
            return body.has("Err") ? body.get("Err").getAsString() : "";
        }

        /** Fails unless the call succeeded. */
        public Reply ok() {
            if (status != 200 || !err().isEmpty()) throw new AssertionError("status " + status + ": " + body);
            return this;
        }
    }

    public PluginClient(Path socket) {
        this.socket = socket;
        try {
            http.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A request to the plugin, for a test that sends its body itself. */
    public Request request(String endpoint) {
        return http.newRequest("http://plugin/" + endpoint).method(HttpMethod.POST).transport(new Transport.TCPUnix(socket))
            .timeout(2, TimeUnit.MINUTES);
    }

    public Reply post(String endpoint, String json) {
        Request r = request(endpoint);
        if (json != null) r.body(new StringRequestContent(VolumeApi.MEDIA_TYPE, json));
        return reply(send(r));
    }

    /** POST of {@code {"Name": name}} plus {@code "ID": id} when not null. */
    public Reply post(String endpoint, String name, String id) {
        JsonObject o = new JsonObject();
        o.addProperty("Name", name);
        if (id != null) o.addProperty("ID", id);
        return post(endpoint, o.toString());
    }

    public static ContentResponse send(Request r) {
        try {
            return r.send();
        } catch (Exception e) {
            throw new AssertionError("request " + r.getURI() + " failed: " + e, e);
        }
    }

    public static Reply reply(ContentResponse r) {
        return new Reply(r.getStatus(), r.getMediaType(), JsonParser.parseString(r.getContentAsString()).getAsJsonObject());
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
