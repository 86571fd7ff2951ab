package com.supportress.shared.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The routes one function serves, as path templates such as {@code /uploads/{id}/parts}. A path that
 * matches with another method is a 405 naming the allowed ones; a path that matches nothing is a 404.
 */
public final class Routes {

    @FunctionalInterface
    public interface Route {
        ApiResponse handle(ApiRequest request);
    }

    private record Entry(String method, List<String> segments, Route route) {
    }

    private final List<Entry> entries = new ArrayList<>();

    public Routes on(String method, String pathTemplate, Route route) {
        entries.add(new Entry(method, segments(pathTemplate), route));
        return this;
    }

    public ApiResponse dispatch(ApiRequest request) {
        List<String> path = segments(request.path());
        Set<String> allowed = new LinkedHashSet<>();
        for (Entry entry : entries) {
            Optional<Map<String, String>> parameters = match(entry.segments(), path);
            if (parameters.isEmpty()) {
                continue;
            }
            if (entry.method().equals(request.method())) {
                return entry.route().handle(request.withPathParameters(parameters.get()));
            }
            allowed.add(entry.method());
        }
        if (allowed.isEmpty()) {
            throw new ClientErrorException(new ClientError.NotFound("no route for " + request.path()));
        }
        throw new ClientErrorException(new ClientError.MethodNotAllowed(allowed));
    }

    private static Optional<Map<String, String>> match(List<String> template, List<String> path) {
        if (template.size() != path.size()) {
            return Optional.empty();
        }
        Map<String, String> parameters = new HashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String expected = template.get(i);
            String actual = path.get(i);
            if (expected.startsWith("{") && expected.endsWith("}")) {
                parameters.put(expected.substring(1, expected.length() - 1), actual);
            } else if (!expected.equals(actual)) {
                return Optional.empty();
            }
        }
        return Optional.of(parameters);
    }

    private static List<String> segments(String path) {
        return List.of(path.replaceAll("^/+|/+$", "").split("/+"));
    }
}
