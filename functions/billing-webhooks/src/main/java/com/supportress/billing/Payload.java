package com.supportress.billing;

import io.micronaut.json.tree.JsonNode;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Optional;

/** Read-only access to a provider's JSON object by dotted path ({@code items.data.0.price.id}); absent and null read alike. */
record Payload(JsonNode node) {

    Optional<JsonNode> at(String path) {
        JsonNode current = node;
        for (String step : path.split("\\.")) {
            if (current == null) {
                return Optional.empty();
            }
            current = current.isArray() && step.chars().allMatch(Character::isDigit)
                    ? (Integer.parseInt(step) < current.size() ? current.get(Integer.parseInt(step)) : null)
                    : current.isObject() ? current.get(step) : null;
        }
        return current == null || current.isNull() ? Optional.empty() : Optional.of(current);
    }

    Optional<String> text(String path) {
        return at(path).filter(value -> value.isString() || value.isNumber()).map(JsonNode::coerceStringValue).filter(s -> !s.isBlank());
    }

    String requiredText(String path) {
        return text(path).orElseThrow(() -> new MalformedEventException(path + " is missing"));
    }

    Optional<Long> number(String path) {
        return at(path).filter(JsonNode::isNumber).map(JsonNode::getLongValue);
    }

    long requiredNumber(String path) {
        return number(path).orElseThrow(() -> new MalformedEventException(path + " is missing or not a number"));
    }

    boolean flag(String path) {
        return at(path).filter(JsonNode::isBoolean).map(JsonNode::getBooleanValue).orElse(false);
    }

    Payload object(String path) {
        return new Payload(at(path).filter(JsonNode::isObject).orElseThrow(() -> new MalformedEventException(path + " is missing")));
    }

    Optional<Payload> optionalObject(String path) {
        return at(path).filter(JsonNode::isObject).map(Payload::new);
    }

    /** Attribute helpers: {@code null} removes the attribute (see {@link StateChange}). */
    static AttributeValue s(Optional<String> value) {
        return value.map(AttributeValue::fromS).orElse(null);
    }

    static AttributeValue n(Optional<Long> value) {
        return value.map(v -> AttributeValue.fromN(Long.toString(v))).orElse(null);
    }
}
