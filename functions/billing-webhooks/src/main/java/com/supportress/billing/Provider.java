package com.supportress.billing;

import java.util.Locale;

/**
 * The billing providers whose webhooks we take, each with the field that dates its events and the field its
 * watermarks' times come from (Chargebee's resource versions; Stripe's are the event's {@code created}).
 */
public enum Provider {
    STRIPE("created", "created"),
    CHARGEBEE("occurred_at", "resource_version");

    private final String timeField;
    private final String versionField;

    Provider(String timeField, String versionField) {
        this.timeField = timeField;
        this.versionField = versionField;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String timeField() {
        return timeField;
    }

    public String versionField() {
        return versionField;
    }
}
