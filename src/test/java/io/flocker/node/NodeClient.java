package io.flocker.node;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** A test's caller of a node socket, without SSH: the request, its input, then the whole answer. */
public final class NodeClient {
    /** What came back: standard output, standard error, exit status (-1 when none came). */
    public record Reply(String stdout, String stderr, int status) {}

    private NodeClient() {}

    public static Reply call(Path socket, List<String> args, byte[] stdin) throws IOException {
        return raw(socket, NodeFraming.request(args), stdin);
    }

    /** Sends {@code request} as it is (a test's bad one too). */
    public static Reply raw(Path socket, byte[] request, byte[] stdin) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            write(ch, request);
            if (stdin != null) write(ch, stdin);
            ch.shutdownOutput();
            return read(ch);
        }
    }

    static void write(SocketChannel ch, byte[] b) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b);
        while (buf.hasRemaining()) ch.write(buf);
    }

    static Reply read(SocketChannel ch) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(8192);
        while (ch.read(buf) > 0) {
            all.write(buf.array(), 0, buf.position());
            buf.clear();
        }
        StringBuilder out = new StringBuilder(), err = new StringBuilder();
        int status = -1;
        for (String line : all.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.isEmpty()) continue;
            NodeFraming.Answer a = NodeFraming.parseAnswer(line);
            if (a instanceof NodeFraming.Answer.Exit x) status = x.status();
            if (a instanceof NodeFraming.Answer.Output o) (o.stream() == 'o' ? out : err).append(o.text()).append('\n');
        }
        return new Reply(out.toString(), err.toString(), status);
    }
}
