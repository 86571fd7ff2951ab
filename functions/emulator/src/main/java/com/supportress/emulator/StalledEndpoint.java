package com.supportress.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A dependency that hangs: accepts every connection and never answers, as an overloaded or half-dead service can.
 * Point one service's endpoint here ({@code AWS_ENDPOINT_URL_SESV2}) to see what a function does when a call stalls.
 */
public final class StalledEndpoint implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    public StalledEndpoint() {
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a local port", e);
        }
        Thread.ofPlatform().daemon().name("stalled-endpoint").start(() -> {
            while (!server.isClosed()) {
                try {
                    held.add(server.accept());
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** How many connections were opened to it: a client that retried opened more than one. */
    public int connections() {
        return held.size();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : held) {
            socket.close();
        }
    }
}
