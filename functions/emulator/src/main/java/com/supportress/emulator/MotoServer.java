package com.supportress.emulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A moto server on a free loopback port, owned by this JVM, started by {@code moto_launcher.py} (a resource
 * beside this class), which patches moto where it differs from AWS in ways the project relies on: DynamoDB
 * writes serialized as DynamoDB's isolation promises, S3 checksums verified and stored as S3 does (the file
 * documents each patch). The Python side exits as soon as its standard input closes, so it dies with the JVM
 * even when the JVM is killed outright: no orphans.
 */
public final class MotoServer implements AutoCloseable {

    private static final String LAUNCHER = "moto_launcher.py";

    private final Process process;
    private final URI endpoint;

    private MotoServer(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** Starts the patched moto with {@code MOTO_PYTHON} (default {@code python3}), which must have {@code moto[server]} installed. */
    public static MotoServer start() {
        return start(List.of());
    }

    /** Starts moto exactly as installed, without the launcher's patches: for tests that show what the patches change. */
    public static MotoServer startUnpatched() {
        return start(List.of("--unpatched"));
    }

    private static MotoServer start(List<String> options) {
        String python = System.getenv().getOrDefault("MOTO_PYTHON", "python3");
        List<String> command = new ArrayList<>(List.of(python, "-c", launcherSource()));
        command.addAll(options);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + python + " to start moto; install it with: pip install 'moto[server]'", e);
        }
        List<String> output = new ArrayList<>();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("MOTO_PORT ")) {
                    URI endpoint = URI.create("http://127.0.0.1:" + Integer.parseInt(line.substring(10).trim()));
                    return new MotoServer(process, endpoint);
                }
                output.add(line);
            }
        } catch (IOException e) {
            process.destroyForcibly();
            throw new UncheckedIOException("moto did not start", e);
        }
        process.destroyForcibly();
        throw new IllegalStateException(python + " could not start moto; install it with: pip install 'moto[server]'"
                + (output.isEmpty() ? "" : "\n" + String.join("\n", output)));
    }

    /** The launcher's source, run with {@code python -c} so that nothing is written to disk. */
    private static String launcherSource() {
        try (InputStream source = MotoServer.class.getResourceAsStream(LAUNCHER)) {
            if (source == null) {
                throw new IllegalStateException(LAUNCHER + " is missing from the emulator module's resources");
            }
            return new String(source.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + LAUNCHER, e);
        }
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
