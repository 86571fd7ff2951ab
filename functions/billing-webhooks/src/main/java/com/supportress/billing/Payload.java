package com.supportress.billing;

import com.supportress.shared.http.JsonFields;
import io.micronaut.json.tree.JsonNode;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/** Read-only access to a provider's JSON object by dotted path ({@code items.data.0.price.id}); absent and null read alike. */
record Payload(JsonNode node) {

    private static final Pattern ID = Pattern.compile("[\\x21-\\x7e]{1,255}");

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

    /** A provider id: it becomes part of a DynamoDB key, whose size is capped, so 1 to 255 visible ASCII characters. */
    String requiredId(String path) {
        String id = requiredText(path);
        if (!isId(id)) {
            throw new MalformedEventException(path + " is not an id (1 to 255 visible ASCII characters)");
        }
        return id;
    }

    Optional<String> id(String path) {
        return text(path).filter(Payload::isId);
    }

    static boolean isId(String value) {
        return ID.matcher(value).matches();
    }

    /** A whole number that fits a long; any other number (1.5, 1e300, 2^63) is malformed, never rounded or wrapped. */
    Optional<Long> number(String path) {
        Optional<JsonNode> node = at(path).filter(JsonNode::isNumber);
        if (node.isPresent() && JsonFields.exactLong(node.get()).isEmpty()) {
            throw new MalformedEventException(path + " is not a whole number within 64 bits");
        }
        return node.flatMap(JsonFields::exactLong);
    }

    long requiredNumber(String path) {
        return number(path).orElseThrow(() -> new MalformedEventException(path + " is missing or not a number"));
    }

    /** A time in epoch seconds, from 1970 to the end of year 9999 (what an Instant, a watermark and DynamoDB's TTL all take). */
    Instant requiredEpochSecond(String path) {
        long seconds = requiredNumber(path);
        if (seconds < 0 || seconds > BillingEvent.LATEST_EPOCH_SECOND) {
            throw new MalformedEventException(path + " is not a time between 1970 and 9999");
        }
        return Instant.ofEpochSecond(seconds);
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
