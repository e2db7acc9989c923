package io.flocker.plugin;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answer to a request Jetty refuses before the plugin sees it (a
 * malformed request line or header, an oversized header): the protocol's
 * JSON with {@code Err} set, not Jetty's HTML page, so that dockerd shows
 * the reason.
 */
final class JsonErrors extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, VolumeApi.MEDIA_TYPE);
        String why = "HTTP " + code + (message == null || message.isBlank() ? "" : ": " + message);
        Content.Sink.write(response, true, VolumeApi.error(why).toString(), callback);
    }
}
