package com.supportress.billing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.supportress.emulator.EmulatedSecrets;
import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.HttpEvents;
import com.supportress.emulator.MutableClock;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The billing functions on a fresh emulated stack, with known test secrets stored in its Secrets Manager secret
 * (as an operator would after deploying), and helpers that deliver signed events as API Gateway would.
 */
final class BillingStack implements AutoCloseable {

    static final String STRIPE_SECRET = TestCredentials.stripeSigningSecret();
    static final String STRIPE_PREVIOUS_SECRET = TestCredentials.stripeSigningSecret();
    static final String CHARGEBEE_USER = "chargebee";
    static final String CHARGEBEE_PASSWORD = TestCredentials.chargebeePassword();
    static final String STRIPE_API_KEY = TestCredentials.stripeApiKey();

    private static final ObjectMapper JSON = new ObjectMapper();

    final EmulatedStack stack;
    final MutableClock clock;
    final BillingWebhooksHandler handler;

    BillingStack(Object... singletons) {
        this(true, singletons);
    }

    private BillingStack(boolean configureSecrets, Object[] singletons) {
        this.stack = EmulatedStack.create(Map.of("SenderEmail", "billing-" + UUID.randomUUID().toString().substring(0, 8) + "@supportress.example"));
        this.clock = new MutableClock(Instant.now());
        if (configureSecrets) {
            storeSecrets(stack);
        }
        List<Object> beans = new ArrayList<>(List.of(singletons));
        beans.add(clock);
        this.handler = new BillingWebhooksHandler(stack.start("BillingWebhooksFunction", beans.toArray()));
    }

    /** The stack as `sam deploy` leaves it: BillingSecrets as the template creates it, before the operator's step. */
    static BillingStack asDeployed() {
        return new BillingStack(false, new Object[0]);
    }

    static void storeSecrets(EmulatedStack stack) {
        ObjectNode secret = JSON.createObjectNode();
        secret.putArray("stripeSigningSecrets").add(STRIPE_SECRET).add(STRIPE_PREVIOUS_SECRET);
        secret.put("chargebeeUsername", CHARGEBEE_USER).put("chargebeePassword", CHARGEBEE_PASSWORD).put("stripeApiKey", STRIPE_API_KEY);
        EmulatedSecrets.client(stack).putSecretValue(r -> r.secretId(stack.physicalName("BillingSecrets")).secretString(secret.toString()));
    }

    /** Replaces the value of the stack's BillingSecrets, as an operator would with put-secret-value. */
    void putSecret(String json) {
        EmulatedSecrets.client(stack).putSecretValue(r -> r.secretId(stack.physicalName("BillingSecrets")).secretString(json));
    }

    /** A second handler on the same tables, as a second Lambda instance would be, with its own beans. */
    BillingWebhooksHandler anotherInstance(Object... singletons) {
        List<Object> beans = new ArrayList<>(List.of(singletons));
        beans.add(clock);
        return new BillingWebhooksHandler(stack.start("BillingWebhooksFunction", beans.toArray()));
    }

    APIGatewayV2HTTPResponse stripe(String body) {
        return send(stripeRequest(body, StripeSigner.header(body, STRIPE_SECRET, clock.instant())));
    }

    APIGatewayV2HTTPResponse stripe(ObjectNode event) {
        return stripe(event.toString());
    }

    static APIGatewayV2HTTPEvent stripeRequest(String body, String signature) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json; charset=utf-8");
        headers.put("user-agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)");
        if (signature != null) {
            headers.put("stripe-signature", signature);
        }
        return HttpEvents.request("POST", "/webhooks/stripe", headers, body.getBytes(StandardCharsets.UTF_8), "54.187.174.169");
    }

    APIGatewayV2HTTPResponse chargebee(ObjectNode event) {
        return send(chargebeeRequest(event.toString(), CHARGEBEE_USER + ":" + CHARGEBEE_PASSWORD));
    }

    static APIGatewayV2HTTPEvent chargebeeRequest(String body, String credentials) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        if (credentials != null) {
            headers.put("authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return HttpEvents.request("POST", "/webhooks/chargebee", headers, body.getBytes(StandardCharsets.UTF_8), "3.209.65.25");
    }

    APIGatewayV2HTTPResponse send(APIGatewayV2HTTPEvent request) {
        return handler.handleRequest(request, null);
    }

    APIGatewayV2HTTPResponse account(String provider, String customerId) {
        return send(HttpEvents.request("GET", "/billing/accounts/" + provider + "/" + customerId, Map.of(), new byte[0], "10.0.0.1"));
    }

    List<Map<String, AttributeValue>> items(String logicalId) {
        return stack.dynamoDb().scan(r -> r.tableName(stack.physicalName(logicalId)).consistentRead(true)).items();
    }

    Map<String, AttributeValue> stateItem(String accountKey, String itemKey) {
        return stack.dynamoDb().getItem(r -> r.tableName(stack.physicalName("BillingStateTable")).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(accountKey), "sk", AttributeValue.fromS(itemKey)))).item();
    }

    Map<String, AttributeValue> eventItem(String key) {
        return stack.dynamoDb().getItem(r -> r.tableName(stack.physicalName("BillingEventsTable")).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(key)))).item();
    }

    @Override
    public void close() {
        handler.close();
    }
}
