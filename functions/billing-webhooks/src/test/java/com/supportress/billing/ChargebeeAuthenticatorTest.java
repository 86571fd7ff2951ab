package com.supportress.billing;

import com.supportress.emulator.MutableClock;
import com.supportress.shared.config.FunctionEnvironment;
import com.supportress.shared.http.ClientErrorException;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Unit tier: Chargebee's HTTP Basic credentials, no emulator. */
class ChargebeeAuthenticatorTest {

    private final ChargebeeAuthenticator authenticator = new ChargebeeAuthenticator(new WebhookSecretsSource(
            FunctionEnvironment.of(Map.of("STRIPE_WEBHOOK_SECRETS", TestCredentials.stripeSigningSecret(), "CHARGEBEE_WEBHOOK_USERNAME", "chargebee",
                    "CHARGEBEE_WEBHOOK_PASSWORD", "k7Hq2Lm9Xv4Rt8Wp3Zc")),
            null, JsonMapper.createDefault(), new MutableClock(Instant.now())));

    @Test
    void acceptsTheConfiguredCredentials() {
        assertDoesNotThrow(() -> authenticator.authenticate(Optional.of(basic("chargebee:k7Hq2Lm9Xv4Rt8Wp3Zc"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"chargebee:wrong", "someone:k7Hq2Lm9Xv4Rt8Wp3Zc", "chargebee:k7Hq2Lm9Xv4Rt8Wp3Zc-and-more", "chargebee", ":"})
    void rejectsWrongCredentialsWith401AndAChallenge(String credentials) {
        ClientErrorException refused = assertThrows(ClientErrorException.class, () -> authenticator.authenticate(Optional.of(basic(credentials))));
        assertEquals(401, refused.error().status());
        assertEquals(ChargebeeAuthenticator.CHALLENGE, refused.error().headers().get("www-authenticate"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer abc", "Basic !!!not-base64!!!", "Basic "})
    void rejectsMalformedAuthorizationWith401(String header) {
        assertEquals(401, assertThrows(ClientErrorException.class, () -> authenticator.authenticate(Optional.of(header))).error().status());
    }

    @Test
    void rejectsMissingAuthorizationWith401() {
        assertEquals(401, assertThrows(ClientErrorException.class, () -> authenticator.authenticate(Optional.empty())).error().status());
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }
}
