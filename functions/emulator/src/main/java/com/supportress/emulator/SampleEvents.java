package com.supportress.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads the sample events in events/ as the Lambda runtime reads a payload ({@link RuntimeSerializers}), so they read exactly as in Lambda. */
public final class SampleEvents {

    private SampleEvents() {
    }

    /** An event file by its path below the repository's events/ folder, e.g. {@code incident-intake/valid.json}. */
    public static <T> T load(String relativePath, Class<T> type) {
        return type.cast(load(SamTemplate.repositoryRoot().resolve("events").resolve(relativePath), type));
    }

    public static Object load(Path file, Type type) {
        try {
            return RuntimeSerializers.read(Files.readAllBytes(file), type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read event " + file, e);
        }
    }

    /** The JSON the runtime would hand a function for this value: for events the tests build and send through a file. */
    public static String toJson(Object value, Type type) {
        return RuntimeSerializers.write(value, type);
    }
}
