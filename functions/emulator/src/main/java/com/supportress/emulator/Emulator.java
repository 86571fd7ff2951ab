package com.supportress.emulator;

import org.junit.jupiter.api.Assumptions;

import java.net.URI;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The AWS API endpoint the tests and the local suite talk to: {@code AWS_ENDPOINT_URL} when set
 * (LocalStack, an existing moto, anything compatible), otherwise one moto server started for this
 * JVM on first use and stopped when the JVM exits, whether the tests passed or not.
 */
public final class Emulator {

    public static final String ACCOUNT_ID = "123456789012";
    public static final String ACCESS_KEY = "test";
    public static final String SECRET_KEY = "test";

    private static final AtomicBoolean skipAnnounced = new AtomicBoolean();

    private static URI endpoint;
    private static MotoServer ownServer;
    private static EmulatorSemantics semantics;

    private Emulator() {
    }

    public static synchronized URI endpoint() {
        if (endpoint == null) {
            Optional<String> configured = Optional.ofNullable(System.getenv("AWS_ENDPOINT_URL")).filter(value -> !value.isBlank());
            if (configured.isPresent()) {
                endpoint = URI.create(configured.get());
            } else {
                ownServer = MotoServer.start();
                endpoint = ownServer.endpoint();
                Runtime.getRuntime().addShutdownHook(new Thread(ownServer::close, "moto-stop"));
            }
        }
        return endpoint;
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
