package io.flocker.plugin;

import org.eclipse.jetty.http.HostPortHttpField;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.StringUtil;

/**
 * Jetty's HTTP/1.1, taking the empty {@code Host} header dockerd sends.
 *
 * <p>dockerd calls a plugin on a unix socket with {@code Host: } and no value
 * (seen from Docker 20.10), which HTTP/1.1 allows for a target without an
 * authority (RFC 9112, section 3.2), and which Jetty 12 answers with "400
 * Blank Host" before any handler runs, with no setting to allow it. So the
 * parsed header is given a value, {@value #HOST}, as it arrives from the
 * parser: Jetty still parses everything, only the empty value is replaced.
 * This uses Jetty's extension points for it ({@code newRequestHandler}),
 * which are in its internal package: a Jetty upgrade must keep this working,
 * and the plugin's tests send dockerd's exact bytes to make sure it does.
 */
final class DockerHttpConnectionFactory extends HttpConnectionFactory {
    /** The host an empty Host header is taken to name. */
    static final String HOST = "localhost";

    DockerHttpConnectionFactory(HttpConfiguration config) {
        super(config);
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        HttpConnection connection = new HttpConnection(getHttpConfiguration(), connector, endPoint) {
            @Override
            protected RequestHandler newRequestHandler() {
                return new RequestHandler() {
                    @Override
                    public void parsedHeader(HttpField field) {
                        boolean blankHost = field.getHeader() == HttpHeader.HOST && StringUtil.isBlank(field.getValue());
                        super.parsedHeader(blankHost ? new HostPortHttpField(HOST) : field);
                    }
                };
            }
        };
        connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
        return configure(connection, connector, endPoint);
    }
}
