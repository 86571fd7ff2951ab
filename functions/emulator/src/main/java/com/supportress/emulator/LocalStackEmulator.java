package com.supportress.emulator;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

import java.net.URI;
import java.util.Optional;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * LocalStack in Docker through Testcontainers, the emulator of {@code ./mvnw verify -Plocalstack}. Without Docker the
 * profile skips rather than fails: {@link LocalStackCondition} skips every test tagged {@code emulator} before its set-up
 * runs, and any other test asking for the endpoint is aborted here, both with the reason.
 * The default image is the last LocalStack Community release (Apache 2.0) that starts without an account; newer
 * images need {@code LOCALSTACK_AUTH_TOKEN}, which is passed on when set ({@code -Dlocalstack.image=...} picks one).
 * Testcontainers' reaper removes the container when this JVM ends.
 */
final class LocalStackEmulator {

    static final String IMAGE = "localstack/localstack:4.14.0";
    static final String NO_DOCKER = "-Plocalstack runs the integration tests on LocalStack in Docker, and no Docker is reachable"
            + " here: skipped (without -Plocalstack they run on moto, which needs no Docker)";

    private LocalStackEmulator() {
    }

    static boolean requested() {
        return "localstack".equals(System.getProperty("supportress.emulator"));
    }

    static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    static URI start() {
        assumeTrue(dockerAvailable(), NO_DOCKER);
        LocalStackContainer container = new LocalStackContainer(
                DockerImageName.parse(System.getProperty("localstack.image", IMAGE)).asCompatibleSubstituteFor("localstack/localstack"));
        Optional.ofNullable(System.getenv("LOCALSTACK_AUTH_TOKEN")).filter(token -> !token.isBlank())
                .ifPresent(token -> container.withEnv("LOCALSTACK_AUTH_TOKEN", token));
        container.start();
        return container.getEndpoint();
    }
}
