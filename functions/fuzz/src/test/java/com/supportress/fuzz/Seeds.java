package com.supportress.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.supportress.emulator.LocalFunction;
import com.supportress.emulator.SamTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

/**
 * Valid bodies to start mutating from, all taken from events/: the body of every sample HTTP event whose routeKey
 * names the route, and every file in a folder named after the route's last segment (events/billing/stripe/ for
 * POST /webhooks/stripe). A new route with samples is seeded without touching this class.
 */
final class Seeds {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Seeds() {
    }

    static List<String> forRoute(LocalFunction.Route route) {
        List<String> seeds = new ArrayList<>();
        String lastSegment = route.path().substring(route.path().lastIndexOf('/') + 1);
        try (Stream<Path> files = Files.walk(SamTemplate.repositoryRoot().resolve("events"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                JsonNode event = read(file);
                if (event.has("routeKey") && event.has("requestContext")) {
                    if (matches(route, event.get("routeKey").asText()) && event.hasNonNull("body")) {
                        String body = event.get("body").asText();
                        seeds.add(event.path("isBase64Encoded").asBoolean()
                                ? new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8) : body);
                    }
                } else if (file.getParent().getFileName().toString().equals(lastSegment)) {
                    seeds.add(event.toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return seeds;
    }

    private static boolean matches(LocalFunction.Route route, String routeKey) {
        String[] parts = routeKey.split(" ", 2);
        return parts.length == 2 && parts[1].equals(route.path()) && (route.method().equals("ANY") || route.method().equals(parts[0]));
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
