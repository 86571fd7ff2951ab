package com.supportress.local;

import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.SamTemplate;

import java.util.List;
import java.util.Map;

/**
 * The HttpApi's CorsConfiguration from template.yaml, applied as API Gateway applies it: preflights are
 * answered without calling a function, and responses carry the allow-origin header for listed origins.
 * The local suite's own origin is always allowed, since it serves the upload page.
 */
record CorsPolicy(List<String> allowedOrigins, String allowMethods, String allowHeaders, String maxAge) {

    @SuppressWarnings("unchecked")
    static CorsPolicy from(EmulatedStack stack) {
        Map<String, Object> cors = (Map<String, Object>) stack.resolve(
                SamTemplate.mapAt(stack.template().properties("HttpApi"), "CorsConfiguration"));
        return new CorsPolicy(
                (List<String>) cors.getOrDefault("AllowOrigins", List.of()),
                String.join(",", (List<String>) cors.getOrDefault("AllowMethods", List.of())),
                String.join(",", (List<String>) cors.getOrDefault("AllowHeaders", List.of())),
                String.valueOf(cors.getOrDefault("MaxAge", 0)));
    }

    Map<String, String> responseHeaders(String origin) {
        return allowed(origin) ? Map.of("access-control-allow-origin", origin, "vary", "origin") : Map.of();
    }

    Map<String, String> preflightHeaders(String origin) {
        if (!allowed(origin)) {
            return Map.of();
        }
        return Map.of(
                "access-control-allow-origin", origin,
                "access-control-allow-methods", allowMethods,
                "access-control-allow-headers", allowHeaders,
                "access-control-max-age", maxAge,
                "vary", "origin");
    }

    private boolean allowed(String origin) {
        return origin != null && (allowedOrigins.contains(origin) || allowedOrigins.contains("*")
                || origin.startsWith("http://127.0.0.1:") || origin.startsWith("http://localhost:"));
    }
}
