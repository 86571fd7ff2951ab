package com.supportress.upload.ingest;

import com.supportress.shared.http.JsonCodec;
import io.micronaut.json.tree.JsonNode;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The objects an S3 event notification (as delivered through SQS) announces. S3 sends an
 * {@code s3:TestEvent} when the notification is configured, which announces nothing, and URL-encodes
 * keys the way HTML forms do ({@code %2F} for a slash, {@code +} for a space).
 */
final class ObjectCreatedEvents {

    record ObjectCreated(String bucket, String key) {
    }

    private ObjectCreatedEvents() {
    }

    /**
     * @throws IllegalArgumentException when the message is not an S3 event notification (it then fails, is retried
     *                                  and ends in the dead-letter queue, where an operator sees it)
     */
    static List<ObjectCreated> parse(String body, JsonCodec json) {
        JsonNode root;
        try {
            root = json.parse(String.valueOf(body).getBytes(StandardCharsets.UTF_8));
        } catch (JsonCodec.MalformedJsonException e) {
            throw new IllegalArgumentException("message is not JSON: " + e.getMessage());
        }
        List<ObjectCreated> objects = new ArrayList<>();
        if (!root.isObject()) {
            throw new IllegalArgumentException("message is not an S3 event notification");
        }
        if (text(root, "Event").filter("s3:TestEvent"::equals).isPresent()) {
            return objects;
        }
        JsonNode records = root.get("Records");
        if (records == null || !records.isArray()) {
            throw new IllegalArgumentException("message is not an S3 event notification");
        }
        for (JsonNode record : records.values()) {
            if (!record.isObject() || !text(record, "eventName").orElse("").startsWith("ObjectCreated:")) {
                continue;
            }
            String bucket = text(record, "s3", "bucket", "name")
                    .orElseThrow(() -> new IllegalArgumentException("ObjectCreated record names no bucket"));
            String key = text(record, "s3", "object", "key")
                    .orElseThrow(() -> new IllegalArgumentException("ObjectCreated record names no key"));
            objects.add(new ObjectCreated(bucket, URLDecoder.decode(key, StandardCharsets.UTF_8)));
        }
        return objects;
    }

    private static Optional<String> text(JsonNode node, String... path) {
        JsonNode current = node;
        for (String name : path) {
            current = current != null && current.isObject() ? current.get(name) : null;
        }
        return current != null && current.isString() ? Optional.of(current.getStringValue()) : Optional.empty();
    }
}
