package com.supportress.local;

import com.supportress.emulator.MotoServer;

import java.net.URI;
import java.util.Optional;

/**
 * An emulator for one test class alone: a moto of its own, or AWS_ENDPOINT_URL's emulator when one is set. For tests
 * whose work would disturb the others of this JVM (moto 5.2's /moto-api/data.json, which SentMail reads, fails once a
 * multipart upload has completed, as the backup function's does).
 */
record OwnEmulator(URI endpoint, Optional<MotoServer> moto) implements AutoCloseable {

    static OwnEmulator start() {
        String configured = System.getenv("AWS_ENDPOINT_URL");
        if (configured != null && !configured.isBlank()) {
            return new OwnEmulator(URI.create(configured), Optional.empty());
        }
        MotoServer moto = MotoServer.start();
        return new OwnEmulator(moto.endpoint(), Optional.of(moto));
    }

    @Override
    public void close() {
        moto.ifPresent(MotoServer::close);
    }
}
