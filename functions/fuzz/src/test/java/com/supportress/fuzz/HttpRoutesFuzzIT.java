package com.supportress.fuzz;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.supportress.emulator.HttpEvents;
import com.supportress.emulator.LocalFunction;
import com.supportress.emulator.LocalLambdaContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Integration tier (emulator): random and mutated requests to every HttpApi route of template.yaml, through the
 * function's real Lambda handler, mostly with the credentials a legitimate caller has (see {@link Credentials}).
 * Promise: never a 5xx or an uncaught Throwable; every error is a problem detail; after a 4xx the function's
 * tables, buckets and mail are exactly as before. Cases per property: {@link Cases#tries()} (pom: fuzz.tries).
 */
class HttpRoutesFuzzIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
    private static final AtomicLong CASES = new AtomicLong();
    /** Answers per route and status class, printed at the end: proof that the fuzz gets past authentication. */
    private static final Map<String, Map<String, AtomicLong>> ANSWERS = new java.util.concurrent.ConcurrentSkipListMap<>();

    /** One route of one function, with the valid bodies to start from. */
    record Target(LocalFunction function, LocalFunction.Route route, List<String> seeds) {
        @Override
        public String toString() {
            return function.logicalId() + " " + route.method() + " " + route.path();
        }
    }

    /** One request: what a client sends, before API Gateway wraps it. */
    record Request(Target target, String method, String path, Map<String, String> headers, byte[] body, boolean authenticated,
                   boolean base64) {
        @Override
        public String toString() {
            String text = new String(body, StandardCharsets.UTF_8);
            return target + " <- " + method + " " + path + " " + headers + " authenticated=" + authenticated
                    + " body(" + body.length + ")=" + (text.length() > 300 ? text.substring(0, 300) + "..." : text);
        }
    }

    private final Map<String, String> fingerprints = new HashMap<>();

    @Test
    void everyRouteAnswersAnyRequestWithoutA5xxAndStoresNothingOnA4xx() {
        Cases.check("every route, any request", requestsTo(targets(), 85), this::assertHandledWithoutFaultAndRefusalsStoreNothing);
    }

    /** Where the hostile inputs of issue 10 lived: events that pass Stripe's signature or Chargebee's credentials. */
    @Test
    void signedProviderEventsWithDamagedContentNeverGetA5xxAndRefusalsStoreNothing() {
        Cases.check("signed provider events", requestsTo(targets().stream().filter(target -> target.route().path().startsWith("/webhooks/")).toList(), 100),
                this::assertHandledWithoutFaultAndRefusalsStoreNothing);
    }

    private void assertHandledWithoutFaultAndRefusalsStoreNothing(Request request) {
        FuzzStack fuzz = FuzzStack.get();
        String function = request.target().function().logicalId();
        String before = fingerprints.computeIfAbsent(function, fuzz::fingerprint);

        APIGatewayV2HTTPResponse response = (APIGatewayV2HTTPResponse) fuzz.handler(request.target().function())
                .handleRequest(event(request), LocalLambdaContext.forFunction(function));
        CASES.incrementAndGet();
        ANSWERS.computeIfAbsent(request.target().toString(), route -> new java.util.concurrent.ConcurrentSkipListMap<>())
                .computeIfAbsent(response.getStatusCode() / 100 + "xx", status -> new AtomicLong()).incrementAndGet();

        assertNotNull(response);
        int status = response.getStatusCode();
        assertTrue(status >= 200 && status < 500, () -> "status " + status + ": " + response.getBody());
        if (status >= 400) {
            assertProblem(response);
            assertEquals(before, fuzz.fingerprint(function), () -> "a " + status + " changed what " + function + " stores: " + response.getBody());
        } else {
            // An accepted request may write; functions share resources (the sender's mail), so every fingerprint is stale.
            fingerprints.clear();
        }
    }

    @AfterAll
    static void report() {
        System.out.println("HttpRoutesFuzzIT: " + CASES.get() + " requests");
        ANSWERS.forEach((route, statuses) -> System.out.println("  " + route + " " + statuses));
    }

    private static void assertProblem(APIGatewayV2HTTPResponse response) {
        assertEquals("application/problem+json", response.getHeaders().get("content-type"), response.getBody());
        try {
            JsonNode problem = JSON.readTree(response.getBody());
            assertEquals(response.getStatusCode(), problem.get("status").asInt());
            assertTrue(problem.get("type").asText().startsWith("https://"), response.getBody());
            assertTrue(problem.hasNonNull("title") && problem.hasNonNull("detail"), response.getBody());
        } catch (java.io.IOException e) {
            throw new AssertionError("error body is not JSON: " + response.getBody(), e);
        }
    }

    private static APIGatewayV2HTTPEvent event(Request request) {
        APIGatewayV2HTTPEvent event = HttpEvents.request(request.method(), request.path(), request.headers(), new byte[0], "203.0.113.7");
        // API Gateway passes a body as text or, when it is not text, base64: both shapes, and always base64 for bytes
        // that are not UTF-8 (a text body could not carry them).
        boolean base64 = request.base64() || !isUtf8(request.body());
        if (request.body().length > 0) {
            event.setBody(base64 ? Base64.getEncoder().encodeToString(request.body()) : new String(request.body(), StandardCharsets.UTF_8));
            event.setIsBase64Encoded(base64);
        }
        return request.authenticated() ? Credentials.add(request.target().function(), request.target().route(), event, request.body()) : event;
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Every route of every function in template.yaml, so a new route is fuzzed without touching this class. */
    private static List<Target> targets() {
        List<Target> targets = new ArrayList<>();
        for (LocalFunction function : FuzzStack.get().functions()) {
            for (LocalFunction.Route route : function.routes()) {
                targets.add(new Target(function, route, Seeds.forRoute(route)));
            }
        }
        return targets;
    }

    private static Gen<Request> requestsTo(List<Target> targets, int authenticatedPercent) {
        return Gen.of(targets).flatMap(target -> random -> new Request(target, method(target.route()).next(random),
                path(target.route()).next(random), headers().next(random), body(target).next(random),
                random.nextInt(100) < authenticatedPercent, random.nextBoolean()));
    }

    /**
     * The route's own method, or any for an ANY route: API Gateway answers a method no route takes with its own 404
     * and never invokes the function, so only these reach a handler.
     */
    private static Gen<String> method(LocalFunction.Route route) {
        return route.method().equals("ANY") ? Gen.of(METHODS) : Gen.just(route.method());
    }

    /** The route's path with its parameters filled by ids of the right shape, hostile text, or nothing. */
    private static Gen<String> path(LocalFunction.Route route) {
        Gen<String> parameter = Gen.oneOf(
                Gen.strings("0123456789abcdef", 40, 40).map(hex -> "upl_" + hex),
                Gen.of("stripe", "chargebee", "stripe-charge", "cus_TdemoAcme0001", "x".repeat(3000), "%2e%2e", "..", "a%00b"),
                Gen.strings("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~%", 1, 30));
        String template = route.path();
        int parameters = template.split("\\{", -1).length - 1;
        return parameter.list(parameters, parameters).map(values -> {
            String path = template;
            for (String value : values) {
                path = path.replaceFirst("\\{[^}]+}", java.util.regex.Matcher.quoteReplacement(value));
            }
            return path;
        });
    }

    private static Gen<Map<String, String>> headers() {
        Gen<String> contentType = Gen.of("application/json", "application/json; charset=utf-8", "application/json ; charset=UTF-8",
                "APPLICATION/JSON", "application/json;", "application/jsonx", "text/plain", "application/json; charset=latin1",
                "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=\"utf-8\"");
        Gen<Map.Entry<String, String>> extra = random -> Map.entry(
                Gen.of("x-tenant-id", "idempotency-key", "stripe-signature", "authorization", "content-type", "origin").next(random),
                Hostile.strings().next(random));
        return random -> {
            String type = contentType.orNull(0.1).next(random);
            Map<String, String> headers = new LinkedHashMap<>();
            if (type != null) {
                headers.put("content-type", type);
            }
            extra.list(0, 2).next(random).forEach(entry -> headers.put(entry.getKey(), entry.getValue()));
            return headers;
        };
    }

    private static Gen<byte[]> body(Target target) {
        Gen<byte[]> seeds = target.seeds().isEmpty() ? Gen.just("{}".getBytes(StandardCharsets.UTF_8))
                : Gen.of(target.seeds()).map(seed -> seed.getBytes(StandardCharsets.UTF_8));
        return Gen.weighted(List.of(
                new Gen.Weighted<>(6, Hostile.mutated(target.seeds())),
                new Gen.Weighted<>(2, Hostile.random()),
                new Gen.Weighted<>(1, seeds),
                new Gen.Weighted<>(1, Gen.just(new byte[0]))));
    }
}
