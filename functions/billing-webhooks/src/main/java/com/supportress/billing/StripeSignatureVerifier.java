package com.supportress.billing;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import com.supportress.shared.http.ClientError;
import com.supportress.shared.http.ClientErrorException;
import com.supportress.shared.http.JsonCodec;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Checks {@code Stripe-Signature} over the body exactly as received, with Stripe's SDK. A header may carry several
 * {@code v1} signatures and we may hold two secrets while rotating: any signature by any of our secrets passes.
 * Stripe's SDK refuses timestamps older than the tolerance; we also refuse those further ahead than it, since a
 * far-future timestamp would keep a captured request replayable for as long.
 */
@Singleton
public class StripeSignatureVerifier {

    private final WebhookSecretsSource secrets;
    private final BillingConfig config;
    private final Clock clock;
    private final JsonCodec json;

    public StripeSignatureVerifier(WebhookSecretsSource secrets, BillingConfig config, Clock clock, JsonCodec json) {
        this.secrets = secrets;
        this.config = config;
        this.clock = clock;
        this.json = json;
    }

    public Event verify(byte[] body, Optional<String> signatureHeader) {
        // Before anything else: without a real secret every delivery is refused alike, whatever it carries.
        List<String> signingSecrets = MissingCredentials.require(secrets.current().stripeSigningSecrets(), "Stripe");
        String header = signatureHeader.orElseThrow(() -> refused("Stripe-Signature header is missing"));
        long tolerance = config.signatureTolerance().toSeconds();
        long timestamp = timestamp(header);
        if (timestamp > clock.instant().plusSeconds(tolerance).getEpochSecond()) {
            throw refused("Stripe-Signature timestamp is in the future");
        }
        if (timestamp < clock.instant().minusSeconds(tolerance).getEpochSecond()) {
            throw refused("Stripe-Signature timestamp is older than " + tolerance + " seconds");
        }
        // The body is Stripe's UTF-8 JSON; Stripe signs exactly these characters, so it is decoded, never re-serialised.
        String payload = new String(body, StandardCharsets.UTF_8);
        for (String secret : signingSecrets) {
            if (!signedWith(payload, header, secret, tolerance)) {
                continue;
            }
            // Only a signed body is parsed: constructEvent parses before it verifies, so it runs after the check.
            // First our strict reader, so stripe-java's lenient, recursive Gson never sees deep nesting, ill-formed
            // Unicode, duplicate names or trailing data (Gson would stop at the first value, or overflow the stack).
            try {
                json.parse(body);
            } catch (JsonCodec.MalformedJsonException e) {
                throw refused("body is not accepted JSON: " + e.getMessage());
            }
            try {
                return Webhook.constructEvent(payload, header, secret, tolerance, clock);
            } catch (SignatureVerificationException | RuntimeException e) {
                // Gson's parse errors (not JSON, not an event object) are runtime exceptions of a shaded type.
                throw refused("body is not a Stripe event");
            }
        }
        throw refused("Stripe-Signature does not match");
    }

    private boolean signedWith(String payload, String header, String secret, long tolerance) {
        try {
            return Webhook.Signature.verifyHeader(payload, header, secret, tolerance, clock);
        } catch (SignatureVerificationException e) {
            return false;
        }
    }

    private static long timestamp(String header) {
        for (String element : header.split(",")) {
            String[] pair = element.trim().split("=", 2);
            if (pair.length == 2 && pair[0].equals("t")) {
                try {
                    return Long.parseLong(pair[1]);
                } catch (NumberFormatException e) {
                    break;
                }
            }
        }
        throw refused("Stripe-Signature has no timestamp");
    }

    private static ClientErrorException refused(String reason) {
        return new ClientErrorException(new ClientError.BadRequest(reason));
    }
}
