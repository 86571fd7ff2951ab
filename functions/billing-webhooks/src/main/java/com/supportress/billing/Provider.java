package com.supportress.billing;

import java.util.Locale;

/** The billing providers whose webhooks we take. */
public enum Provider {
    STRIPE, CHARGEBEE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
