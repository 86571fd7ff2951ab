package com.supportress.billing;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import com.supportress.shared.http.ApiRequest;
import com.supportress.shared.http.ApiResponse;
import com.supportress.shared.http.ClientError;
import com.supportress.shared.http.ClientErrorException;
import com.supportress.shared.http.HttpFunctionHandler;
import com.supportress.shared.http.JsonCodec;
import com.supportress.shared.http.Routes;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.tree.JsonNode;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Lambda entry point for POST /webhooks/stripe, POST /webhooks/chargebee and the operators' IAM-protected
 * GET /billing/accounts/{provider}/{customerId}. A refused webhook (bad signature or credentials, not JSON, no event
 * id or type) stores nothing; an accepted one answers 200 once it is recorded and applied, duplicates, unknown types
 * and events billing cannot apply included.
 */
public class BillingWebhooksHandler extends HttpFunctionHandler {

    // Stripe's and Chargebee's events are a few KiB; a generous cap keeps a flood from costing memory.
    static final int MAX_BODY_BYTES = 256 * 1024;

    public BillingWebhooksHandler() {
    }

    public BillingWebhooksHandler(ApplicationContext context) {
        super(context);
    }

    @Override
    protected Routes routes(ApplicationContext context) {
        BillingService billing = context.getBean(BillingService.class);
        StripeSignatureVerifier stripe = context.getBean(StripeSignatureVerifier.class);
        ChargebeeAuthenticator chargebee = context.getBean(ChargebeeAuthenticator.class);
        JsonCodec json = context.getBean(JsonCodec.class);
        return new Routes()
                .on("POST", "/webhooks/stripe", request -> {
                    limit(request);
                    Event event = stripe.verify(request.body(), request.header("stripe-signature"));
                    return received(json, billing.receive(reduced(() -> StripeEvents.reduce(event, json)), "webhook"));
                })
                .on("POST", "/webhooks/chargebee", request -> {
                    chargebee.authenticate(request.header("authorization"));
                    var body = new Payload(json.readObjectBody(request, MAX_BODY_BYTES));
                    return received(json, billing.receive(reduced(() -> ChargebeeEvents.reduce(body)), "webhook"));
                })
                .on("GET", "/billing/accounts/{provider}/{customerId}", request -> {
                    String provider = request.pathParameter("provider").toLowerCase(Locale.ROOT);
                    if (!provider.matches("stripe|chargebee|stripe-charge")) {
                        throw new ClientErrorException(ClientError.InvalidFields.of("provider", "must be stripe, chargebee or stripe-charge"));
                    }
                    String customerId = request.pathParameter("customerId");
                    if (!Payload.isId(customerId)) {
                        // No provider id looks like this, and a key beyond DynamoDB's size limit would fail the query.
                        throw new ClientErrorException(new ClientError.NotFound("no billing state or events for " + provider + "#…"));
                    }
                    AccountView view = billing.account(provider + "#" + customerId);
                    if (view.isEmpty()) {
                        throw new ClientErrorException(new ClientError.NotFound("no billing state or events for " + view.account()));
                    }
                    return ApiResponse.json(200, json.write(view));
                });
    }

    /**
     * Before the SnapStart snapshot: Stripe's signature check and event parsing with a throwaway secret, both
     * providers' mapping, and the DynamoDB client through the read path on a key that never exists. Nothing is
     * written, and the real secrets are not read, so they never end up in a snapshot.
     */
    @Override
    protected void prime(ApplicationContext context) {
        JsonCodec json = context.getBean(JsonCodec.class);
        String secret = "whsec_snapstart_priming";
        String body = "{\"id\":\"evt_priming\",\"object\":\"event\",\"api_version\":\"" + StripeEvents.API_VERSION
                + "\",\"created\":0,\"type\":\"customer.subscription.updated\",\"data\":{\"object\":{\"id\":\"sub_priming\","
                + "\"object\":\"subscription\",\"customer\":\"cus_priming\",\"status\":\"active\"}}}";
        try {
            long now = System.currentTimeMillis() / 1000;
            String header = "t=" + now + ",v1=" + Webhook.Util.computeHmacSha256(secret, now + "." + body);
            StripeEvents.reduce(Webhook.constructEvent(body, header, secret), json);
        } catch (SignatureVerificationException | GeneralSecurityException e) {
            throw new IllegalStateException("priming signature did not verify", e);
        }
        ChargebeeEvents.reduce(new Payload(json.read(("{\"id\":\"ev_priming\",\"event_type\":\"payment_succeeded\",\"occurred_at\":0,"
                + "\"content\":{}}").getBytes(StandardCharsets.UTF_8), JsonNode.class)));
        handle(new ApiRequest("GET", "/billing/accounts/stripe/snapstart-priming", Map.of(), Map.of(), Map.of(), new byte[0],
                "127.0.0.1", "snapstart-priming", "localhost"));
    }

    private static void limit(ApiRequest request) {
        if (request.body().length > MAX_BODY_BYTES) {
            throw new ClientErrorException(new ClientError.PayloadTooLarge(MAX_BODY_BYTES));
        }
    }

    private static BillingEvent reduced(Supplier<BillingEvent> reduce) {
        try {
            return reduce.get();
        } catch (MalformedEventException e) {
            throw new ClientErrorException(new ClientError.BadRequest("malformed event: " + e.getMessage()));
        }
    }

    private static ApiResponse received(JsonCodec json, BillingService.Outcome outcome) {
        return ApiResponse.json(200, json.write(Map.of("received", true, "outcome", outcome.name().toLowerCase(Locale.ROOT))));
    }
}
