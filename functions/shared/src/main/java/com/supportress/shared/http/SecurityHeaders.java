package com.supportress.shared.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headers every response of every function carries, added in one place (the HTTP adapter). A function
 * may set its own Cache-Control or Content-Security-Policy (a page does); everything else is fixed here.
 */
public final class SecurityHeaders {

    /** Two years, subdomains included: browsers refuse plain HTTP to the API's host from the first HTTPS answer on. */
    static final String HSTS = "max-age=63072000; includeSubDomains";
    /** API responses are data, never documents: nothing in them may load, run or be framed. */
    static final String API_CSP = "default-src 'none'; frame-ancestors 'none'";

    private SecurityHeaders() {
    }

    /**
     * nosniff on everything; no-store unless the function chose a cache policy (answers name uploads, reports and
     * billing accounts, none of which a shared or browser cache may keep); HSTS on HTTPS answers only, as RFC 6797
     * wants it ignored over plain HTTP anyway.
     */
    public static ApiResponse apply(ApiRequest request, ApiResponse response) {
        Map<String, String> headers = new LinkedHashMap<>(response.headers());
        headers.put("x-content-type-options", "nosniff");
        headers.putIfAbsent("cache-control", "no-store");
        headers.putIfAbsent("content-security-policy", API_CSP);
        if (request.secure()) {
            headers.put("strict-transport-security", HSTS);
        }
        return new ApiResponse(response.status(), headers, response.body());
    }
}
