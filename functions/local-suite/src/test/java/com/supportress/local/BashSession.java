package com.supportress.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One bash process that runs README commands one after another, as a reader typing them into one terminal:
 * variables set by one command ({@code SHA=...}) are there for the next. Every {@code curl} also notes the HTTP
 * status it got, so a command that "works" by printing a 500 is caught.
 */
final class BashSession implements AutoCloseable {

    /** What one command did: its exit status, its output (stdout and stderr), and the HTTP statuses curl saw. */
    record Result(int exitStatus, String output, List<Integer> httpStatuses) {
    }

    private static final String STATUS_PREFIX = "README_CHECK_HTTP ";

    private final Process bash;
    private final Writer input;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Path statuses;
    private final String marker = "__README_CHECK_" + UUID.randomUUID().toString().replace("-", "") + "_EXIT_";

    BashSession(Path workingDirectory) throws IOException {
        statuses = Files.createTempFile(workingDirectory, "curl-statuses", ".txt");
        bash = new ProcessBuilder("bash", "--noprofile", "--norc").directory(workingDirectory.toFile()).redirectErrorStream(true).start();
        input = new OutputStreamWriter(bash.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofPlatform().daemon().name("readme-bash-output").start(() -> {
            try (BufferedReader output = new BufferedReader(new InputStreamReader(bash.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = output.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ended) {
                // the process is gone; the waiting command times out
            }
        });
        send("set -o pipefail\n"
                + "curl() { command curl -w '%{stderr}" + STATUS_PREFIX + "%{http_code}\\n' \"$@\" 2>>'" + statuses + "'; }\n");
    }

    Result run(String command, Duration timeout) throws IOException, InterruptedException {
        Files.writeString(statuses, "");
        send(command + "\nprintf '\\n" + marker + "%s\\n' \"$?\"\n");
        StringBuilder output = new StringBuilder();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                return new Result(-1, output + "\n(no end after " + timeout.toSeconds() + " s)", httpStatuses(output));
            }
            if (line.startsWith(marker)) {
                return new Result(Integer.parseInt(line.substring(marker.length())), output.toString().strip(), httpStatuses(output));
            }
            output.append(line).append('\n');
        }
    }

    /** The statuses curl noted; curl's own error messages, which share the file, go to the output. */
    private List<Integer> httpStatuses(StringBuilder output) {
        List<Integer> codes = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(statuses)) {
                if (line.startsWith(STATUS_PREFIX)) {
                    codes.add(Integer.parseInt(line.substring(STATUS_PREFIX.length()).strip()));
                } else if (!line.isBlank()) {
                    output.append(line).append('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return codes;
    }

    private void send(String text) throws IOException {
        input.write(text);
        input.flush();
    }

    @Override
    public void close() throws InterruptedException {
        bash.descendants().forEach(ProcessHandle::destroy);
        bash.destroy();
        if (!bash.waitFor(5, TimeUnit.SECONDS)) {
            bash.destroyForcibly();
        }
    }
}
