package com.supportress.billing;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one event says about one item of an account's billing state: the fields of one group (subscription,
 * customer, payment, ...) as the event's object shows them, and the watermark that orders it. Each event
 * carries the provider's whole object, so a group is always overwritten as a whole and the newest
 * watermark alone decides the group's value, whatever order the events arrive in.
 *
 * @param fields the group's attributes; a {@code null} value removes the attribute
 */
public record StateChange(String accountKey, String itemKey, String group, Watermark watermark, Map<String, AttributeValue> fields) {

    public StateChange {
        Objects.requireNonNull(accountKey);
        Objects.requireNonNull(itemKey);
        fields = Collections.unmodifiableMap(new HashMap<>(fields));
    }

    /** The attribute that holds this group's watermark on the item. */
    public String watermarkAttribute() {
        return group + "Watermark";
    }
}
