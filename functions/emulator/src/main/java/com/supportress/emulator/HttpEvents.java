package com.supportress.emulator;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** API Gateway HTTP API (payload 2.0) events, as the local suite and tests hand them to handlers. */
public final class HttpEvents {

    private HttpEvents() {
    }

    /** A sample from events/, e.g. {@code incident-intake/valid.json}. */
    public static APIGatewayV2HTTPEvent sample(String relativePath) {
        return SampleEvents.load(relativePath, APIGatewayV2HTTPEvent.class);
    }

    public static APIGatewayV2HTTPEvent request(String method, String path, Map<String, String> headers, byte[] body, String sourceIp) {
        var http = APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                .withMethod(method).withPath(path).withProtocol("HTTP/1.1").withSourceIp(sourceIp).withUserAgent("supportress-local").build();
        var context = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withHttp(http)
                .withRequestId(UUID.randomUUID().toString())
                .withRouteKey("$default")
                .withStage("$default")
                .withDomainName(headers.getOrDefault("host", "localhost"))
                .withTimeEpoch(System.currentTimeMillis())
                .build();
        boolean text = isText(headers.getOrDefault("content-type", ""));
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath(path)
                .withRawQueryString("")
                .withHeaders(new LinkedHashMap<>(headers))
                .withRequestContext(context)
                .withBody(body.length == 0 ? null : text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(body.length > 0 && !text)
                .build();
    }

    /** The same request with another body (kept as text, as API Gateway does for JSON). */
    public static APIGatewayV2HTTPEvent withBody(APIGatewayV2HTTPEvent event, String body) {
        event.setBody(body);
        event.setIsBase64Encoded(false);
        return event;
    }

    public static APIGatewayV2HTTPEvent withHeader(APIGatewayV2HTTPEvent event, String name, String value) {
        Map<String, String> headers = new LinkedHashMap<>(event.getHeaders() == null ? Map.of() : event.getHeaders());
        headers.put(name, value);
        event.setHeaders(headers);
        return event;
    }

    /** The event as API Gateway passes it after its JWT authorizer verified the token: claims and scopes in the context. */
    public static APIGatewayV2HTTPEvent withJwt(APIGatewayV2HTTPEvent event, Map<String, String> claims, List<String> scopes) {
        var jwt = APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder().withClaims(claims).withScopes(scopes).build();
        event.getRequestContext().setAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder().withJwt(jwt).build());
        return event;
    }

    public static APIGatewayV2HTTPEvent withSourceIp(APIGatewayV2HTTPEvent event, String sourceIp) {
        event.getRequestContext().getHttp().setSourceIp(sourceIp);
        return event;
    }

    private static boolean isText(String contentType) {
        String type = contentType.toLowerCase();
        return type.isEmpty() || type.startsWith("text/") || type.contains("json") || type.contains("x-www-form-urlencoded");
    }
}
