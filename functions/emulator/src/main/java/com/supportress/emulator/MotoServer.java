package com.supportress.emulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A moto server on a free loopback port, owned by this JVM. The Python side exits as soon as its
 * standard input closes, so it dies with the JVM even when the JVM is killed outright: no orphans.
 */
public final class MotoServer implements AutoCloseable {

    private static final String LAUNCHER = String.join("\n",
            "import sys",
            "from moto.server import ThreadedMotoServer",
            "server = ThreadedMotoServer(ip_address='127.0.0.1', port=0, verbose=False)",
            "server.start()",
            "print('MOTO_PORT', server.get_host_and_port()[1], flush=True)",
            "try:",
            "    sys.stdin.read()",
            "except KeyboardInterrupt:",
            "    pass");

    private final Process process;
    private final URI endpoint;

    private MotoServer(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** Starts moto with {@code MOTO_PYTHON} (default {@code python3}), which must have {@code moto[server]} installed. */
    public static MotoServer start() {
        String python = System.getenv().getOrDefault("MOTO_PYTHON", "python3");
        Process process;
        try {
            process = new ProcessBuilder(List.of(python, "-c", LAUNCHER))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + python + " to start moto; install it with: pip install 'moto[server]'", e);
        }
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = output.readLine()) != null) {
                if (line.startsWith("MOTO_PORT ")) {
                    URI endpoint = URI.create("http://127.0.0.1:" + Integer.parseInt(line.substring(10).trim()));
                    return new MotoServer(process, endpoint);
                }
            }
        } catch (IOException e) {
            process.destroyForcibly();
            throw new UncheckedIOException("moto did not start", e);
        }
        process.destroyForcibly();
        throw new IllegalStateException(python + " could not start moto; install it with: pip install 'moto[server]'");
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
