package com.supportress.shared.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One HTTP request as the functions see it, whatever carried it: API Gateway's HTTP API (payload 2.0)
 * in Lambda, or the local suite's server. Header names are lower-case; the body is the raw bytes as sent.
 * {@code claims} are those of the JWT that API Gateway's authorizer verified for the route (as strings, the way
 * API Gateway passes them), empty on routes without one.
 */
public record ApiRequest(
        String method,
        String path,
        Map<String, String> headers,
        Map<String, String> query,
        Map<String, String> pathParameters,
        byte[] body,
        String sourceIp,
        String requestId,
        String host,
        Map<String, String> claims) {

    public ApiRequest {
        headers = headers.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(e -> e.getKey().toLowerCase(Locale.ROOT), Map.Entry::getValue, (a, b) -> a + "," + b));
        query = Map.copyOf(query);
        pathParameters = Map.copyOf(pathParameters);
        claims = Map.copyOf(claims);
    }

    /** A request that passed no authorizer. */
    public ApiRequest(String method, String path, Map<String, String> headers, Map<String, String> query,
                      Map<String, String> pathParameters, byte[] body, String sourceIp, String requestId, String host) {
        this(method, path, headers, query, pathParameters, body, sourceIp, requestId, host, Map.of());
    }

    public static ApiRequest from(APIGatewayV2HTTPEvent event) {
        var context = event.getRequestContext();
        var http = context == null ? null : context.getHttp();
        String body = event.getBody();
        byte[] bytes = body == null ? new byte[0]
                : event.getIsBase64Encoded() ? Base64.getMimeDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
        return new ApiRequest(
                http == null ? "GET" : http.getMethod().toUpperCase(Locale.ROOT),
                pathWithoutStage(event.getRawPath(), context == null ? null : context.getStage()),
                orEmpty(event.getHeaders()),
                orEmpty(event.getQueryStringParameters()),
                Map.of(),
                bytes,
                http == null || http.getSourceIp() == null ? "unknown" : http.getSourceIp(),
                context == null || context.getRequestId() == null ? "local" : context.getRequestId(),
                context == null || context.getDomainName() == null ? "localhost" : context.getDomainName(),
                jwtClaims(context));
    }

    private static Map<String, String> jwtClaims(APIGatewayV2HTTPEvent.RequestContext context) {
        var authorizer = context == null ? null : context.getAuthorizer();
        var jwt = authorizer == null ? null : authorizer.getJwt();
        return jwt == null || jwt.getClaims() == null ? Map.of() : jwt.getClaims();
    }

    /** A named stage (not $default) prefixes rawPath with its name; routes are declared without it. */
    private static String pathWithoutStage(String rawPath, String stage) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        if (stage != null && !stage.equals("$default") && rawPath.startsWith("/" + stage + "/")) {
            return rawPath.substring(stage.length() + 1);
        }
        return rawPath;
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }

    /** Served over HTTPS: API Gateway serves HTTPS only and says so in X-Forwarded-Proto. */
    public boolean secure() {
        return header("x-forwarded-proto").map(proto -> proto.equalsIgnoreCase("https")).orElse(false);
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT))).filter(value -> !value.isBlank());
    }

    public String pathParameter(String name) {
        String value = pathParameters.get(name);
        if (value == null) {
            throw new IllegalStateException("route has no path parameter " + name);
        }
        return value;
    }

    public ApiRequest withPathParameters(Map<String, String> parameters) {
        return new ApiRequest(method, path, headers, query, parameters, body, sourceIp, requestId, host, claims);
    }
}
