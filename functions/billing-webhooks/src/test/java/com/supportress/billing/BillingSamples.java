package com.supportress.billing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.supportress.emulator.SamTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The provider payloads in events/billing/, as editable JSON: tests change ids and times, then sign what they send. */
final class BillingSamples {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BillingSamples() {
    }

    static ObjectNode stripe(String type) {
        return read(Path.of("billing", "stripe", type + ".json"));
    }

    static ObjectNode chargebee(String type) {
        return read(Path.of("billing", "chargebee", type + ".json"));
    }

    private static ObjectNode read(Path relative) {
        try {
            return (ObjectNode) JSON.readTree(SamTemplate.repositoryRoot().resolve("events").resolve(relative).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
