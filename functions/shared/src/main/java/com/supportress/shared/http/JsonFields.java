package com.supportress.shared.http;

import io.micronaut.json.tree.JsonNode;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads the fields of a JSON object and collects every problem instead of stopping at the first,
 * so one 400 names every invalid field, including wrong JSON types. Unknown fields are ignored.
 */
public final class JsonFields {

    private final JsonNode object;
    private final List<FieldError> errors = new ArrayList<>();

    public JsonFields(JsonNode object) {
        this.object = object;
    }

    public String requiredString(String name, int maxLength) {
        Optional<String> value = optionalString(name, maxLength);
        if (value.isEmpty() && errors.stream().noneMatch(error -> error.field().equals(name))) {
            reject(name, "is required");
        }
        return value.orElse(null);
    }

    public Optional<String> optionalString(String name, int maxLength) {
        JsonNode node = object.get(name);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isString()) {
            reject(name, "must be a string");
            return Optional.empty();
        }
        String value = node.getStringValue().strip();
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (value.codePointCount(0, value.length()) > maxLength) {
            reject(name, "must be at most " + maxLength + " characters");
            return Optional.empty();
        }
        return Optional.of(value);
    }

    /** A one-line string ({@link TextRules#isOneLine}), stripped, of at most maxLength characters. */
    public Optional<String> optionalOneLine(String name, int maxLength) {
        return check(name, optionalString(name, maxLength), TextRules::isOneLine, TextRules.ONE_LINE_RULE);
    }

    public String requiredOneLine(String name, int maxLength) {
        String value = requiredString(name, maxLength);
        return check(name, Optional.ofNullable(value), TextRules::isOneLine, TextRules.ONE_LINE_RULE).orElse(null);
    }

    /** A whole number from min to max; 2, 2.0 and 2e0 are the same number, 2.5 and 1e300 are not within any range of ours. */
    public Optional<Long> optionalLong(String name, long min, long max) {
        JsonNode node = object.get(name);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        Optional<Long> value = exactLong(node).filter(number -> number >= min && number <= max);
        if (value.isEmpty()) {
            reject(name, "must be a whole number from " + min + " to " + max);
        }
        return value;
    }

    /**
     * The value of a JSON number when it is a whole number that fits a {@code long}, else empty (also for
     * non-numbers). Safe on any input: it never expands an exponent or silently wraps around.
     */
    public static Optional<Long> exactLong(JsonNode node) {
        if (node == null || !node.isNumber()) {
            return Optional.empty();
        }
        Number number = node.getNumberValue();
        return switch (number) {
            case Long value -> Optional.of(value);
            case Integer value -> Optional.of(value.longValue());
            case BigInteger value -> value.bitLength() < Long.SIZE ? Optional.of(value.longValue()) : Optional.empty();
            // Doubles are exact for whole numbers up to 2^53; above that, one double stands for many integers.
            case Double value -> value == Math.rint(value) && Math.abs(value) <= MAX_EXACT_DOUBLE
                    ? Optional.of(value.longValue()) : Optional.empty();
            default -> Optional.empty();
        };
    }

    private static final double MAX_EXACT_DOUBLE = 9_007_199_254_740_992d;

    /** Keeps the value only when it passes the check; otherwise records the message for this field. */
    public <T> Optional<T> check(String name, Optional<T> value, Predicate<T> valid, String message) {
        if (value.isPresent() && !valid.test(value.get())) {
            reject(name, message);
            return Optional.empty();
        }
        return value;
    }

    public Optional<String> oneOf(String name, Optional<String> value, Set<String> allowed) {
        return check(name, value, allowed::contains, "must be one of " + String.join(", ", allowed.stream().sorted().toList()));
    }

    public void reject(String name, String message) {
        errors.add(new FieldError(name, message));
    }

    /** Throws a 400 naming every invalid field, if there is any. */
    public void throwIfInvalid() {
        if (!errors.isEmpty()) {
            throw new ClientErrorException(new ClientError.InvalidFields(errors));
        }
    }
}
