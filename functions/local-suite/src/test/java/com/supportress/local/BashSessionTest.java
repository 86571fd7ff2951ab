package com.supportress.local;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Unit tier: the README check's bash session (needs bash and curl, no emulator). */
class BashSessionTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void variablesLiveFromOneCommandToTheNextAndExitStatusesAreKept(@TempDir Path work) throws Exception {
        try (BashSession bash = new BashSession(work)) {
            assertEquals(0, bash.run("SHA=$(printf abc | base64)", TIMEOUT).exitStatus());
            assertEquals(new BashSession.Result(0, "YWJj", List.of()), bash.run("echo \"$SHA\"", TIMEOUT));
            assertEquals(3, bash.run("(exit 3)", TIMEOUT).exitStatus());
        }
    }

    @Test
    void curlNotesTheStatusEvenWhenItExitsZero(@TempDir Path work) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/broken") ? 500 : 200, -1);
            exchange.close();
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        try (BashSession bash = new BashSession(work)) {
            assertEquals(new BashSession.Result(0, "", List.of(500)), bash.run("curl -s " + base + "/broken | cat", TIMEOUT));
            assertEquals(List.of(200, 200), bash.run("curl -s " + base + "/ok; curl -s " + base + "/ok", TIMEOUT).httpStatuses());
        } finally {
            server.stop(0);
        }
    }
}
