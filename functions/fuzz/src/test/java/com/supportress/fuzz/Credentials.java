package com.supportress.fuzz;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.stripe.net.Webhook;
import com.supportress.emulator.LocalFunction;
import com.supportress.shared.config.FunctionEnvironment;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a legitimate caller of each protected route adds, so that the fuzz reaches past authentication: the claims API
 * Gateway's JWT authorizer passes after verifying a token of tenant {@link #TENANT} (claim names from the function's
 * TENANT_CLAIM and TOKEN_USE, as the template sets them; on the triage routes, the security team's group), a valid Stripe signature over the (mutated) body with the
 * stack's test secret, Chargebee's Basic credentials. This is the one place to teach the fuzz a route's credentials.
 */
final class Credentials {

    static final String TENANT = "fuzz";

    private Credentials() {
    }

    /** The request as an authenticated caller of its route would send it. */
    static APIGatewayV2HTTPEvent add(LocalFunction function, LocalFunction.Route route, APIGatewayV2HTTPEvent event, byte[] body) {
        FunctionEnvironment environment = FuzzStack.get().stack.environment(function.logicalId());
        Map<String, String> claims = new LinkedHashMap<>();
        claims.put("sub", "fuzz-user");
        claims.put(environment.get("TENANT_CLAIM", "custom:tenant_id"), TENANT);
        Optional.of(environment.get("TOKEN_USE", "none")).filter(use -> !use.equals("none")).ifPresent(use -> claims.put("token_use", use));
        // The triage routes: a member of the security team (the groups claim as API Gateway passes it).
        environment.find("SECURITY_TEAM_GROUP").ifPresent(group ->
                claims.put(environment.get("SECURITY_TEAM_GROUPS_CLAIM", "cognito:groups"), "[" + group + "]"));
        event.getRequestContext().setAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder().withClaims(claims).build())
                .build());
        Map<String, String> headers = new LinkedHashMap<>(event.getHeaders());
        if (route.path().equals("/webhooks/stripe")) {
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
