package com.supportress.billing;

import com.stripe.net.Webhook;

import java.security.GeneralSecurityException;
import java.time.Instant;

/** Signs bodies the way Stripe does ({@code t=<unix>,v1=HMAC-SHA256(secret, "<t>.<body>")}), for tests and the sample sender. */
final class StripeSigner {

    private StripeSigner() {
    }

    static String header(String body, String secret, Instant at) {
        return "t=" + at.getEpochSecond() + ",v1=" + signature(body, secret, at);
    }

    static String signature(String body, String secret, Instant at) {
        try {
            return Webhook.Util.computeHmacSha256(secret, at.getEpochSecond() + "." + body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
