package com.supportress.emulator;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;

import static com.supportress.emulator.EmulatorSemantics.Guarantee.IDEMPOTENT_DYNAMODB_TRANSACTIONS;
import static com.supportress.emulator.EmulatorSemantics.Guarantee.S3_CHECKSUMS;
import static com.supportress.emulator.EmulatorSemantics.Guarantee.SERIALIZABLE_DYNAMODB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Integration tier: telling emulators apart by asking them (the launcher's moto and plain moto, started here; a stand-in LocalStack). */
@Tag("emulator")
class EmulatorSemanticsIT {

    @RegisterExtension
    static final MotoPair moto = new MotoPair();

    @Test
    void launchedMotoIsFaithfulInEveryGuaranteeAndPlainMotoInNone() {
        EmulatorSemantics launched = EmulatorSemantics.of(moto.launched.endpoint());
        EmulatorSemantics plain = EmulatorSemantics.of(moto.plain.endpoint());

        assertEquals(EnumSet.of(SERIALIZABLE_DYNAMODB, IDEMPOTENT_DYNAMODB_TRANSACTIONS, S3_CHECKSUMS), launched.guarantees());
        assertTrue(launched.summary().startsWith("moto 5."), launched.summary());
        assertEquals(Set.of(), plain.guarantees());
        assertTrue(plain.summary().contains("NOT faithful: DynamoDB's isolation"), plain.summary());
    }

    @Test
    void localStackCountsAsFaithfulInBoth() throws Exception {
        HttpServer localStack = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] health = "{\"services\":{\"s3\":\"running\",\"dynamodb\":\"running\"},\"version\":\"4.0.3\"}".getBytes(StandardCharsets.UTF_8);
        localStack.createContext("/_localstack/health", exchange -> {
            exchange.sendResponseHeaders(200, health.length);
            exchange.getResponseBody().write(health);
            exchange.close();
        });
        localStack.start();
        try {
            EmulatorSemantics semantics = EmulatorSemantics.of(URI.create("http://127.0.0.1:" + localStack.getAddress().getPort()));

            assertEquals(EnumSet.allOf(EmulatorSemantics.Guarantee.class), semantics.guarantees());
            assertTrue(semantics.name().startsWith("LocalStack 4.0.3"), semantics.name());
        } finally {
            localStack.stop(0);
        }
    }
}
