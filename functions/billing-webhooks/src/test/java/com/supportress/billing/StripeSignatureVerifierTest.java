package com.supportress.billing;

import com.stripe.model.Event;
import com.supportress.emulator.MutableClock;
import com.supportress.shared.config.FunctionEnvironment;
import com.supportress.shared.http.ClientError;
import com.supportress.shared.http.ClientErrorException;
import com.supportress.shared.http.JsonCodec;
import com.supportress.shared.http.ServiceUnavailableException;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tier: Stripe-Signature checks with Stripe's SDK, no emulator. */
class StripeSignatureVerifierTest {

    private static final String CURRENT = TestCredentials.stripeSigningSecret();
    private static final String PREVIOUS = TestCredentials.stripeSigningSecret();

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final StripeSignatureVerifier verifier = verifier(CURRENT + "," + PREVIOUS);
    private final String body = BillingSamples.stripe("customer.subscription.created").toString();

    @Test
    void acceptsBodySignedWithCurrentSecret() {
        Event event = verifier.verify(bytes(body), Optional.of(StripeSigner.header(body, CURRENT, clock.instant())));
        assertEquals("customer.subscription.created", event.getType());
    }

    @Test
    void acceptsBodySignedWithPreviousSecretDuringRotation() {
        Event event = verifier.verify(bytes(body), Optional.of(StripeSigner.header(body, PREVIOUS, clock.instant())));
        assertEquals("customer.subscription.created", event.getType());
    }

    @Test
    void acceptsHeaderWithSeveralV1SignaturesWhenOneMatches() {
        String header = StripeSigner.header(body, "whsec_someone_else", clock.instant()) + ",v1="
                + StripeSigner.signature(body, CURRENT, clock.instant());
        assertEquals("customer.subscription.created", verifier.verify(bytes(body), Optional.of(header)).getType());
    }

    @Test
    void rejectsTamperedBody() {
        String header = StripeSigner.header(body, CURRENT, clock.instant());
        assertRefused("does not match", () -> verifier.verify(bytes(body.replace("incomplete", "active")), Optional.of(header)));
    }

    @Test
    void rejectsBodySignedWithUnknownSecret() {
        assertRefused("does not match", () -> verifier.verify(bytes(body),
                Optional.of(StripeSigner.header(body, "whsec_wrong", clock.instant()))));
    }

    @Test
    void rejectsSignatureOlderThanFiveMinutes() {
        String header = StripeSigner.header(body, CURRENT, clock.instant().minus(Duration.ofSeconds(301)));
        assertRefused("older", () -> verifier.verify(bytes(body), Optional.of(header)));
    }

    @Test
    void acceptsSignatureJustInsideTheTolerance() {
        String header = StripeSigner.header(body, CURRENT, clock.instant().minus(Duration.ofSeconds(299)));
        assertEquals("customer.subscription.created", verifier.verify(bytes(body), Optional.of(header)).getType());
    }

    @Test
    void rejectsStripeEventWithFutureTimestamp() {
        String header = StripeSigner.header(body, CURRENT, clock.instant().plus(Duration.ofSeconds(301)));
        assertRefused("future", () -> verifier.verify(bytes(body), Optional.of(header)));
    }

    @Test
    void placeholderSecretNeverVerifiesNotEvenABodySignedWithIt() {
        StripeSignatureVerifier unconfigured = verifier("whsec_replace_me");
        String header = StripeSigner.header(body, "whsec_replace_me", clock.instant());

        assertThrows(ServiceUnavailableException.class, () -> unconfigured.verify(bytes(body), Optional.of(header)));
    }

    @Test
    void noSecretConfiguredRefusesBeforeLookingAtTheRequest() {
        assertThrows(ServiceUnavailableException.class, () -> verifier("").verify(bytes(body), Optional.empty()));
    }

    @Test
    void rejectsMissingHeader() {
        assertRefused("missing", () -> verifier.verify(bytes(body), Optional.empty()));
    }

    @Test
    void rejectsHeaderWithoutTimestamp() {
        assertRefused("timestamp", () -> verifier.verify(bytes(body), Optional.of("v1=" + StripeSigner.signature(body, CURRENT, clock.instant()))));
    }

    @Test
    void rejectsSignedBodyThatIsNotJson() {
        String malformed = "{\"id\": \"evt_1\", \"object\": \"event\",";
        assertRefused("not accepted JSON", () -> verifier.verify(bytes(malformed),
                Optional.of(StripeSigner.header(malformed, CURRENT, clock.instant()))));
    }

    @Test
    void signedJsonThatIsNoStripeEventIsRefused() {
        for (String signed : new String[] {"[]", "{\"data\":{\"object\":[1]}}", "{\"created\":1.5e300}"}) {
            assertRefused("not a Stripe event", () -> verifier.verify(bytes(signed), Optional.of(StripeSigner.header(signed, CURRENT, clock.instant()))));
        }
    }

    @Test
    void signedBodiesThatAreNotStrictJsonAreRefusedBeforeStripeJavaParsesThem() {
        String deep = "{\"id\":\"evt_1\",\"data\":{\"object\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}}";
        for (String signed : new String[] {body + "xyz", body + "{}", deep, body.replaceFirst("\"id\":\"", "\"id\":\"\\\\ud800"),
                "{\"id\":\"evt_a\",\"id\":\"evt_b\"}"}) {
            assertRefused("not accepted JSON", () -> verifier.verify(bytes(signed), Optional.of(StripeSigner.header(signed, CURRENT, clock.instant()))));
        }
    }

    private static void assertRefused(String reason, org.junit.jupiter.api.function.Executable call) {
        ClientErrorException refused = assertThrows(ClientErrorException.class, call);
        assertEquals(400, refused.error().status());
        assertTrue(((ClientError.BadRequest) refused.error()).message().contains(reason), refused.error().message());
    }

    private StripeSignatureVerifier verifier(String secrets) {
        FunctionEnvironment environment = FunctionEnvironment.of(Map.of(
                "STRIPE_WEBHOOK_SECRETS", secrets,
                "CHARGEBEE_WEBHOOK_USERNAME", "chargebee",
                "CHARGEBEE_WEBHOOK_PASSWORD", TestCredentials.chargebeePassword(),
                "BILLING_EVENTS_TABLE", "events", "BILLING_STATE_TABLE", "state", "SENDER_EMAIL", "billing@supportress.example"));
        WebhookSecretsSource source = new WebhookSecretsSource(environment, null, JsonMapper.createDefault(), clock);
        return new StripeSignatureVerifier(source, BillingConfig.from(environment), clock, new JsonCodec(JsonMapper.createDefault()));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
