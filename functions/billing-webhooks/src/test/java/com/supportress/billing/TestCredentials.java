package com.supportress.billing;

import java.security.SecureRandom;

/** Credentials in the providers' real shapes, fresh and random, for tests and the local sample sender. */
final class TestCredentials {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private TestCredentials() {
    }

    /** As the Stripe dashboard shows an endpoint's signing secret. */
    static String stripeSigningSecret() {
        return "whsec_" + random(32);
    }

    /** A restricted test-mode key, as Stripe issues them. */
    static String stripeApiKey() {
        return "rk_test_" + random(99);
    }

    /** As CloudFormation generates the Chargebee password. */
    static String chargebeePassword() {
        return random(40);
    }

    static String random(int length) {
        StringBuilder value = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            value.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return value.toString();
    }
}
