package com.supportress.upload.ingest;

import com.supportress.shared.http.JsonCodec;
import io.micronaut.json.tree.JsonNode;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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

    static List<ObjectCreated> parse(String body, JsonCodec json) {
        JsonNode root = json.read(body.getBytes(StandardCharsets.UTF_8), JsonNode.class);
        List<ObjectCreated> objects = new ArrayList<>();
        JsonNode event = root.get("Event");
        if (event != null && event.isString() && event.getStringValue().equals("s3:TestEvent")) {
            return objects;
        }
        JsonNode records = root.get("Records");
        if (records == null || !records.isArray()) {
            throw new IllegalArgumentException("message is not an S3 event notification");
        }
        for (JsonNode record : records.values()) {
            String name = record.get("eventName") == null ? "" : record.get("eventName").getStringValue();
            if (!name.startsWith("ObjectCreated:")) {
                continue;
            }
            JsonNode s3 = record.get("s3");
            objects.add(new ObjectCreated(s3.get("bucket").get("name").getStringValue(),
                    URLDecoder.decode(s3.get("object").get("key").getStringValue(), StandardCharsets.UTF_8)));
        }
        return objects;
    }
}
