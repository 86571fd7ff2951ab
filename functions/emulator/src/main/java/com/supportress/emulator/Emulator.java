package com.supportress.emulator;

import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sts.StsClient;

import java.net.URI;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The AWS API endpoint the tests and the local suite talk to: {@code AWS_ENDPOINT_URL} when set
 * (LocalStack, an existing moto, anything compatible); LocalStack in Docker under {@code -Plocalstack}
 * ({@link LocalStackEmulator}); otherwise one moto server started for this JVM on first use and stopped
 * when the JVM exits, whether the tests passed or not.
 */
public final class Emulator {

    public static final String ACCESS_KEY = "test";
    public static final String SECRET_KEY = "test";

    private static final AtomicBoolean skipAnnounced = new AtomicBoolean();

    private static URI endpoint;
    private static MotoServer ownServer;
    private static String accountId;
    private static EmulatorSemantics semantics;

    private Emulator() {
    }

    public static synchronized URI endpoint() {
        if (endpoint == null) {
            Optional<String> configured = Optional.ofNullable(System.getenv("AWS_ENDPOINT_URL")).filter(value -> !value.isBlank());
            if (configured.isPresent()) {
                endpoint = URI.create(configured.get());
            } else if (LocalStackEmulator.requested()) {
                endpoint = LocalStackEmulator.start();
            } else {
                ownServer = MotoServer.start();
                endpoint = ownServer.endpoint();
                Runtime.getRuntime().addShutdownHook(new Thread(ownServer::close, "moto-stop"));
            }
        }
        return endpoint;
    }

    /** The emulator's account, as STS reports it: moto's is 123456789012, LocalStack's 000000000000. */
    public static synchronized String accountId() {
        if (accountId == null) {
            try (StsClient sts = StsClient.builder()
                    .endpointOverride(endpoint())
                    .region(EmulatedStack.REGION)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                    .httpClientBuilder(UrlConnectionHttpClient.builder())
                    .build()) {
                accountId = sts.getCallerIdentity().account();
            }
        }
        return accountId;
    }

    /** Which AWS semantics the emulator reproduces, asked once. */
    public static synchronized EmulatorSemantics semantics() {
        if (semantics == null) {
            semantics = EmulatorSemantics.of(endpoint());
        }
        return semantics;
    }

    /**
     * Skips the calling test (a JUnit assumption, with the reason) unless the emulator reproduces what it relies on;
     * the first skip also says on standard error which semantics are in force.
     */
    public static void assume(EmulatorSemantics.Guarantee guarantee) {
        EmulatorSemantics inForce = semantics();
        if (!inForce.has(guarantee) && !skipAnnounced.getAndSet(true)) {
            System.err.println("emulator: " + inForce.summary());
        }
        Assumptions.assumeTrue(inForce.has(guarantee), () -> "needs " + guarantee.meaning() + ", which " + inForce.name()
                + " does not reproduce; run without AWS_ENDPOINT_URL (the launcher's moto) or against LocalStack");
    }
}
