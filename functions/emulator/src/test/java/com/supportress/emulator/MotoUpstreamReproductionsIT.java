package com.supportress.emulator;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Integration tier: every upstream reproduction in moto-upstream/ (boto3 scripts, run with the Python that runs
 * moto) shows its bug on moto as installed and passes on the launcher's moto, so the reports stay true. The scripts
 * name their tables and buckets apart, so they share one pair of servers.
 */
@Tag("emulator")
class MotoUpstreamReproductionsIT {

    private static final Path SCRIPTS = Path.of("moto-upstream");

    @RegisterExtension
    static final MotoPair moto = new MotoPair();

    static Stream<Path> reproductions() throws IOException {
        List<Path> scripts;
        try (Stream<Path> files = Files.list(SCRIPTS)) {
            scripts = files.filter(file -> file.toString().endsWith(".py")).sorted().toList();
        }
        assertFalse(scripts.isEmpty(), "no reproductions in " + SCRIPTS.toAbsolutePath());
        return scripts.stream();
    }

    @ParameterizedTest
    @MethodSource("reproductions")
    void showsItsBugOnPlainMotoAndPassesOnTheLaunchedOne(Path script) throws Exception {
        Run plain = run(script, moto.plain);
        Run launched = run(script, moto.launched);

        assertEquals(1, plain.exitCode(), plain.output());
        assertTrue(plain.output().contains("BUG"), plain.output());
        assertEquals(0, launched.exitCode(), launched.output());
    }

    private record Run(int exitCode, String output) {
    }

    private static Run run(Path script, MotoServer server) throws Exception {
        Process process = new ProcessBuilder(System.getenv().getOrDefault("MOTO_PYTHON", "python3"), script.toString(), server.endpoint().toString())
                .redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(script + " did not finish:\n" + output);
        }
        return new Run(process.exitValue(), output);
    }
}
