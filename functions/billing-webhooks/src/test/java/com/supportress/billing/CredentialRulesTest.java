package com.supportress.billing;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tier: which configured values count as credentials, no emulator. */
class CredentialRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"whsec_replace_me", "whsec_REPLACE_ME_WITH_THE_ENDPOINT_SECRET_0123456789", "whsec_changeme",
            "whsec_00000000000000000000000000000000", "whsec_abababababababababababababababab", "whsec_YourSigningSecretGoesHere12345678",
            "whsec_exampleexampleexampleexample1234", "whsec_placeholder", "whsec_", "whsec", "replace_me",
            "sk_live_4eC39HqLyjWDarjtT1zdp7dc", "whsec_4eC39HqLyjWDarjtT1zdp7dc", "whsec_Zx8kQ2mN 7pL4vR9tY1wE6uI3oA5sD0fG"})
    void placeholderOrMisshapenStripeSigningSecretNeverCounts(String value) {
        assertTrue(CredentialRules.stripeSigningSecret(value).isPresent(), value);
        assertFalse(WebhookSecrets.of(List.of(value), "chargebee", TestCredentials.chargebeePassword(), null).stripeSigningSecrets().isUsable());
    }

    @Test
    void stripeSigningSecretsAsStripeIssuesThemCount() {
        for (int i = 0; i < 1_000; i++) {
            String dashboard = TestCredentials.stripeSigningSecret();
            assertEquals(List.of(), CredentialRules.stripeSigningSecret(dashboard).stream().toList(), dashboard);
        }
        // The Stripe CLI's `stripe listen` prints 64 hex digits.
        assertTrue(CredentialRules.stripeSigningSecret("whsec_3b1f6e0c9a8d7e2f41b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1").isEmpty());
    }

    @Test
    void aPlaceholderBesideARealSecretIsDroppedAndTheRealOneStillVerifies() {
        String real = TestCredentials.stripeSigningSecret();
        Credential<List<String>> secrets = WebhookSecrets.of(List.of("whsec_replace_me", real), null, null, null).stripeSigningSecrets();

        assertEquals(List.of(real), secrets.value().orElseThrow());
    }

    @Test
    void moreThanTwoSigningSecretsIsAConfigurationError() {
        List<String> three = List.of(TestCredentials.stripeSigningSecret(), TestCredentials.stripeSigningSecret(), TestCredentials.stripeSigningSecret());
        assertFalse(WebhookSecrets.of(three, null, null, null).stripeSigningSecrets().isUsable());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "short", "changeme-changeme-changeme", "replace-with-the-generated-one", "aaaaaaaaaaaaaaaaaaaaaaaa",
            "0101010101010101010101", "YourSecretPasswordHere1"})
    void placeholderChargebeePasswordNeverCounts(String password) {
        assertFalse(WebhookSecrets.of(List.of(), "chargebee", password, null).chargebee().isUsable(), password);
    }

    @Test
    void chargebeeLoginCountsWithAGeneratedPasswordButNotWithAColonInTheUserName() {
        String generated = TestCredentials.chargebeePassword();
        assertTrue(WebhookSecrets.of(List.of(), "chargebee", generated, null).chargebee().isUsable());
        assertFalse(WebhookSecrets.of(List.of(), "charge:bee", generated, null).chargebee().isUsable());
        assertFalse(WebhookSecrets.of(List.of(), " ", generated, null).chargebee().isUsable());
    }

    @ParameterizedTest
    @ValueSource(strings = {"rk_live_...", "rk_live_... (restricted: Events read only)", "sk_test_replace_me", "pk_live_51HxYzAbCdEfGhIjKlMnOpQrStUv",
            "rk_live_000000000000000000000000000000",
            "sk_test_4eC39HqLyjWDarjtT1zdp7dc"})
    void placeholderOrPublishableStripeApiKeyNeverCounts(String key) {
        assertFalse(WebhookSecrets.of(List.of(), null, null, key).stripeApiKey().isUsable(), key);
    }

    @Test
    void restrictedAndSecretKeysCount() {
        assertTrue(WebhookSecrets.of(List.of(), null, null, TestCredentials.stripeApiKey()).stripeApiKey().isUsable());
        assertTrue(CredentialRules.stripeApiKey("sk_live_" + TestCredentials.random(24)).isEmpty());
    }

    @Test
    void problemsNeverQuoteTheValue() {
        WebhookSecrets secrets = WebhookSecrets.of(List.of("whsec_replace_me"), "chargebee", "changeme-changeme-changeme", "rk_live_...");

        for (Credential<?> credential : List.of(secrets.stripeSigningSecrets(), secrets.chargebee(), secrets.stripeApiKey())) {
            assertFalse(credential.problem().contains("replace_me") || credential.problem().contains("changeme-")
                    || credential.problem().contains("rk_live_..."), credential.problem());
            assertFalse(credential.toString().contains("replace_me"), credential.toString());
        }
    }
}
