package com.supportress.local;

import com.supportress.shared.http.ApiResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/** Text files from the classpath folder public/ (the browser upload page), {@code /} meaning index.html. */
final class StaticFiles {

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "json", "application/json",
            "svg", "image/svg+xml");

    private StaticFiles() {
    }

    static Optional<ApiResponse> find(String path) {
        String name = path.equals("/") ? "index.html" : path.substring(1);
        String extension = name.substring(name.lastIndexOf('.') + 1);
        if (name.contains("..") || !TYPES.containsKey(extension)) {
            return Optional.empty();
        }
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream("public/" + name)) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(new ApiResponse(200, Map.of("content-type", TYPES.get(extension), "cache-control", "no-store"),
                    new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
