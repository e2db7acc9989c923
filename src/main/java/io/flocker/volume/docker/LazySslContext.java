package io.flocker.volume.docker;

import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The JVM's default TLS context, made only when something uses it. The
 * zerodep transport builds its TLS strategy when it is created, even for a
 * unix socket that never speaks TLS; the default context reads and parses
 * the whole CA store, which costs seconds on a slow (emulated) machine for
 * nothing. A TLS daemon (tcp:// with DOCKER_TLS_VERIFY) brings its own
 * context and never comes here.
 */
final class LazySslContext extends SSLContext {
    private static final Provider PROVIDER = new Provider("flocker-lazy-tls", "1", "the default TLS context, made on first use") {
        private static final long serialVersionUID = 1L;
    };

    LazySslContext() {
        super(new Spi(), PROVIDER, "Default");
    }

    private static final class Spi extends SSLContextSpi {
        private volatile SSLContext real;

        private SSLContext real() {
            SSLContext c = real;
            if (c == null) {
                synchronized (this) {
                    if (real == null) {
                        try {
                            real = SSLContext.getDefault();
                        } catch (NoSuchAlgorithmException e) {
                            throw new IllegalStateException("no default TLS context in this JVM", e);
                        }
                    }
                    c = real;
                }
            }
            return c;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) throws KeyManagementException {
            throw new KeyManagementException("the default TLS context is initialised already");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return real().getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return real().getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return real().createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return real().createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return real().getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return real().getClientSessionContext();
        }
    }
}
