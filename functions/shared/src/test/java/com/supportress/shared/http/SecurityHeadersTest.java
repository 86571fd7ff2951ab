package com.supportress.shared.http;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Unit tier: the headers every answer of every function carries. */
class SecurityHeadersTest {

    @Test
    void everyAnswerIsNosniffUncachedAndNotADocument() {
        ApiResponse answer = SecurityHeaders.apply(request(Map.of()), ApiResponse.json(200, "{}"));
        assertEquals("nosniff", answer.headers().get("x-content-type-options"));
        assertEquals("no-store", answer.headers().get("cache-control"));
        assertEquals("default-src 'none'; frame-ancestors 'none'", answer.headers().get("content-security-policy"));
    }

    @Test
    void httpsAnswersCarryHstsAndPlainHttpOnesDoNot() {
        ApiResponse https = SecurityHeaders.apply(request(Map.of("x-forwarded-proto", "https")), ApiResponse.json(404, "{}"));
        assertEquals("max-age=63072000; includeSubDomains", https.headers().get("strict-transport-security"));
        ApiResponse http = SecurityHeaders.apply(request(Map.of("x-forwarded-proto", "http")), ApiResponse.json(200, "{}"));
        assertFalse(http.headers().containsKey("strict-transport-security"));
    }

    @Test
    void aFunctionsOwnCachePolicyAndCspAreKept() {
        ApiResponse page = new ApiResponse(200, Map.of("cache-control", "no-cache", "content-security-policy", "script-src 'self'"), "<p>");
        ApiResponse answer = SecurityHeaders.apply(request(Map.of()), page);
        assertEquals("no-cache", answer.headers().get("cache-control"));
        assertEquals("script-src 'self'", answer.headers().get("content-security-policy"));
        assertEquals("nosniff", answer.headers().get("x-content-type-options"));
    }

    private static ApiRequest request(Map<String, String> headers) {
        return new ApiRequest("GET", "/", headers, Map.of(), Map.of(), new byte[0], "192.0.2.1", "r", "localhost");
    }
}
