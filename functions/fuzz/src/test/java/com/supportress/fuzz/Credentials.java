package com.supportress.fuzz;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.stripe.net.Webhook;
import com.supportress.emulator.LocalFunction;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a legitimate caller of each protected route adds, so that the fuzz reaches past authentication: the upload
 * tenant, a valid Stripe signature over the (mutated) body with the stack's test secret, Chargebee's Basic
 * credentials. This is the one place to teach the fuzz a route's credentials: when /uploads moves behind the JWT
 * authorizer, {@link #TENANT_CLAIMS} is what the authorizer would pass in {@code requestContext.authorizer.jwt.claims}.
 */
final class Credentials {

    static final String TENANT = "fuzz";
    /** The claims of a signed-in user of tenant {@link #TENANT}, as API Gateway's JWT authorizer passes them. */
    static final Map<String, String> TENANT_CLAIMS = Map.of("sub", "fuzz-user", "tenant", TENANT, "custom:tenant", TENANT);

    private Credentials() {
    }

    /** The request as an authenticated caller of its route would send it. */
    static APIGatewayV2HTTPEvent add(LocalFunction.Route route, APIGatewayV2HTTPEvent event, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>(event.getHeaders());
        if (route.path().startsWith("/uploads")) {
            headers.put("x-tenant-id", TENANT);
            event.getRequestContext().setAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                    .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder().withClaims(TENANT_CLAIMS).build())
                    .build());
        } else if (route.path().equals("/webhooks/stripe")) {
            headers.put("stripe-signature", stripeSignature(new String(body, StandardCharsets.UTF_8), Instant.now()));
        } else if (route.path().equals("/webhooks/chargebee")) {
            headers.put("authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (FuzzStack.CHARGEBEE_USER + ":" + FuzzStack.CHARGEBEE_PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        event.setHeaders(headers);
        return event;
    }

    static String stripeSignature(String payload, Instant at) {
        try {
            return "t=" + at.getEpochSecond() + ",v1=" + Webhook.Util.computeHmacSha256(FuzzStack.STRIPE_SECRET, at.getEpochSecond() + "." + payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
