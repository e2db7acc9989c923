package io.flocker.plugin;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.flocker.sockets.SocketAccess;
import io.flocker.volume.VolumeException;
import io.flocker.volume.VolumeNotFound;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the plugin, on Jetty: a POST to {@code /<Endpoint>} with a
 * JSON body, answered with JSON of the plugin media type. Every failure is
 * an answer with {@code Err} set: 500 when the driver refused or failed (as
 * Docker's own plugin helpers answer), 400, 404, 405 or 413 when the request
 * itself is wrong. Runs the driver's calls on Jetty's threads, which may
 * block (ZFS waits for a transaction group).
 */
final class PluginHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(PluginHandler.class);
    /** The largest request body read; Docker's are a few hundred bytes. */
    static final int MAX_BODY = 1 << 20;

    private final VolumeApi api;
    private final SocketAccess access;
    private final Path socket;
    private final boolean verbose;

    PluginHandler(VolumeApi api, SocketAccess access, Path socket, boolean verbose) {
        this.api = api;
        this.access = access;
        this.socket = socket;
        this.verbose = verbose;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        String name = Request.getPathInContext(request).substring(1);
        int status;
        JsonObject answer;
        boolean quiet = false;
        Function<JsonElement, JsonObject> endpoint = api.endpoint(name);
        String refused = refusal(request);
        if (refused != null) {
            status = HttpStatus.FORBIDDEN_403;
            answer = VolumeApi.error(refused);
        } else if (endpoint == null) {
            status = HttpStatus.NOT_FOUND_404;
            answer = VolumeApi.error("no such endpoint " + VolumeException.quote("/" + name)
                + " (this is Docker's volume plugin API, version 1)");
        } else if (!HttpMethod.POST.is(request.getMethod())) {
            status = HttpStatus.METHOD_NOT_ALLOWED_405;
            response.getHeaders().put(HttpHeader.ALLOW, "POST");
            answer = VolumeApi.error(name + " takes POST, not " + request.getMethod());
        } else {
            Answer a = call(endpoint, request);
            status = a.status;
            answer = a.body;
            // dockerd asks for every name before it creates it: not finding it is no failure.
            quiet = a.notFound && name.equals("VolumeDriver.Get") && !verbose;
        }
        String err = answer.has("Err") ? answer.get("Err").getAsString() : "";
        if (!err.isEmpty() && !quiet) {
            LOG.warn("plugin request {} on {} failed: {}", name, socket, err);
        } else if (verbose || LOG.isDebugEnabled()) {
            String line = "plugin request " + name + " on " + socket + ": done in "
                + (System.nanoTime() - start) / 1_000_000 + " ms";
            if (verbose) LOG.info(line); else LOG.debug(line);
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, VolumeApi.MEDIA_TYPE);
        Content.Sink.write(response, true, answer.toString(), callback);
        return true;
    }

    // The caller's credentials, as the kernel took them when it connected; null when it may call.
    private String refusal(Request request) {
        Object transport = request.getConnectionMetaData().getConnection().getEndPoint().getTransport();
        if (!(transport instanceof SocketChannel channel)) return "refused: the caller's credentials cannot be read";
        return access.refusal(channel, "the volume plugin on " + socket);
    }

    private record Answer(int status, JsonObject body, boolean notFound) {
        Answer(int status, JsonObject body) {
            this(status, body, false);
        }
    }

    private Answer call(Function<JsonElement, JsonObject> endpoint, Request request) {
        JsonElement body;
        try {
            byte[] bytes = Content.Source.asByteArrayAsync(request, MAX_BODY).get();
            String text = new String(bytes, StandardCharsets.UTF_8);
            // Docker sends no body, or "null", to the calls that take none.
            body = text.isBlank() ? JsonNull.INSTANCE : JsonParser.parseString(text);
        } catch (ExecutionException e) {
            return new Answer(HttpStatus.PAYLOAD_TOO_LARGE_413, VolumeApi.error("cannot read the request body (at most "
                + MAX_BODY + " bytes): " + e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(HttpStatus.SERVICE_UNAVAILABLE_503, VolumeApi.error("the plugin is stopping"));
        } catch (JsonParseException e) {
            return badRequest(e);
        }
        try {
            return new Answer(HttpStatus.OK_200, endpoint.apply(body));
        } catch (VolumeException e) {
            StringBuilder message = new StringBuilder(e.getMessage());
            for (Throwable s : e.getSuppressed()) message.append("; undoing it failed too: ").append(s.getMessage());
            return new Answer(HttpStatus.INTERNAL_SERVER_ERROR_500, VolumeApi.error(oneLine(message.toString())),
                e instanceof VolumeNotFound);
        } catch (JsonParseException e) {
            return badRequest(e);
        } catch (RuntimeException e) {
            // A bug, not a refusal: the stack trace goes to the log, the one line to Docker.
            LOG.error("plugin request failed with an internal error", e);
            return new Answer(HttpStatus.INTERNAL_SERVER_ERROR_500, VolumeApi.error(oneLine("internal error: " + e)));
        }
    }

    private static Answer badRequest(JsonParseException e) {
        Throwable why = e.getCause() != null ? e.getCause() : e;
        return new Answer(HttpStatus.BAD_REQUEST_400, VolumeApi.error(oneLine("bad request body: " + why.getMessage())));
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\r', ' ');
    }
}
