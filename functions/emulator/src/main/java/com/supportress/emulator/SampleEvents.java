package com.supportress.emulator;

import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads the sample events in events/ with the Lambda runtime's own deserialiser, so they read exactly as in Lambda. */
public final class SampleEvents {

    private SampleEvents() {
    }

    /** An event file by its path below the repository's events/ folder, e.g. {@code incident-intake/valid.json}. */
    public static <T> T load(String relativePath, Class<T> type) {
        return load(SamTemplate.repositoryRoot().resolve("events").resolve(relativePath), type);
    }

    public static <T> T load(Path file, Class<T> type) {
        try (InputStream in = Files.newInputStream(file)) {
            return LambdaEventSerializers.serializerFor(type, SampleEvents.class.getClassLoader()).fromJson(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read event " + file, e);
        }
    }

    public static <T> String toJson(T value, Class<T> type) {
        var out = new java.io.ByteArrayOutputStream();
        LambdaEventSerializers.serializerFor(type, SampleEvents.class.getClassLoader()).toJson(value, out);
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
