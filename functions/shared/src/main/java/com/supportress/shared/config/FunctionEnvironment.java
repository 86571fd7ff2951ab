package com.supportress.shared.config;

import java.util.Map;
import java.util.Optional;

/**
 * The environment variables a function runs with. In Lambda these are the process environment that
 * template.yaml sets; the local suite and the tests build the same map from the same template, so
 * every function reads its configuration through this one type in every setting.
 */
public record FunctionEnvironment(Map<String, String> variables) {

    public FunctionEnvironment {
        variables = Map.copyOf(variables);
    }

    public static FunctionEnvironment system() {
        return new FunctionEnvironment(System.getenv());
    }

    public static FunctionEnvironment of(Map<String, String> variables) {
        return new FunctionEnvironment(variables);
    }

    public Optional<String> find(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    public String require(String name) {
        return find(name).orElseThrow(() -> new IllegalStateException("environment variable " + name + " is not set"));
    }

    public String get(String name, String fallback) {
        return find(name).orElse(fallback);
    }

    public int getInt(String name, int fallback) {
        return find(name).map(value -> parseInt(name, value)).orElse(fallback);
    }

    public long getLong(String name, long fallback) {
        return find(name).map(value -> parseLong(name, value)).orElse(fallback);
    }

    private static int parseInt(String name, String value) {
        return Math.toIntExact(parseLong(name, value));
    }

    private static long parseLong(String name, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("environment variable " + name + " is not a whole number: " + value, e);
        }
    }
}
