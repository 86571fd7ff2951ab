package com.supportress.shared.http;

import io.micronaut.json.tree.JsonNode;

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

    public Optional<Long> optionalLong(String name) {
        JsonNode node = object.get(name);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isNumber() || node.getNumberValue().doubleValue() != Math.rint(node.getNumberValue().doubleValue())) {
            reject(name, "must be a whole number");
            return Optional.empty();
        }
        return Optional.of(node.getLongValue());
    }

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
