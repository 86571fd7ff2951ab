package com.supportress.emulator;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What API Gateway's HTTP API does before a function runs, for the routes of template.yaml: it finds the route,
 * and on a route with a JWT authorizer verifies the token ({@link JwtAuthorizer}) and either answers 401 itself,
 * never calling the function, or passes the verified claims in the event's requestContext.authorizer.jwt. The local
 * suite serves every request through it, and tests call protected routes through it, so no handler ever sees claims
 * that no authorizer checked. (AWS_IAM routes are passed through unchecked: SigV4 is not emulated.)
 */
public final class ApiGateway {

    /** A route of template.yaml and the function that serves it. */
    public record Target(LocalFunction function, LocalFunction.Route route) {
    }

    private final List<Target> targets = new ArrayList<>();
    private final Map<String, JwtAuthorizer> authorizers = new LinkedHashMap<>();

    private ApiGateway(EmulatedStack stack, Clock clock) {
        for (LocalFunction function : LocalFunction.all(stack.template())) {
            function.routes().forEach(route -> targets.add(new Target(function, route)));
        }
        // Literal routes before parameterised ones, as API Gateway prefers the most specific match.
        targets.sort((a, b) -> Boolean.compare(a.route().path().contains("{"), b.route().path().contains("{")));
        stack.template().resourcesOfType("AWS::Serverless::HttpApi").keySet().forEach(api -> {
            Map<String, Object> auth = SamTemplate.mapAt(stack.template().properties(api), "Auth");
            SamTemplate.mapAt(auth, "Authorizers").forEach((name, definition) -> {
                @SuppressWarnings("unchecked")
                Map<String, Object> resolved = (Map<String, Object>) stack.resolve(definition);
                Map<String, Object> jwt = SamTemplate.mapAt(resolved, "JwtConfiguration");
                if (!jwt.isEmpty()) {
                    @SuppressWarnings("unchecked")
                    List<String> audience = (List<String>) jwt.get("audience");
                    authorizers.put(name, new JwtAuthorizer(String.valueOf(jwt.get("issuer")), audience,
                            String.valueOf(resolved.get("IdentitySource")), Optional.of(stack.endpoint()), clock));
                }
            });
        });
    }

    public static ApiGateway of(EmulatedStack stack) {
        return new ApiGateway(stack, Clock.systemUTC());
    }

    /** With a clock of the test's, to see tokens expire or not yet be valid. */
    public static ApiGateway of(EmulatedStack stack, Clock clock) {
        return new ApiGateway(stack, clock);
    }

    /** The route API Gateway would pick for a method and path, if any. */
    public Optional<Target> route(String method, String path) {
        List<String> segments = segments(path);
        return targets.stream()
                .filter(target -> target.route().method().equals("ANY") || target.route().method().equals(method))
                .filter(target -> matches(segments(target.route().path()), segments))
                .findFirst();
    }

    /**
     * Runs the event through its route's authorizer, then the handler: a refused token gets API Gateway's own 401
     * and the handler is never called.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public APIGatewayV2HTTPResponse invoke(RequestHandler handler, APIGatewayV2HTTPEvent event) {
        String method = event.getRequestContext().getHttp().getMethod();
        Target target = route(method, event.getRawPath())
                .orElseThrow(() -> new IllegalArgumentException("template.yaml has no route for " + method + " " + event.getRawPath()));
        Optional<JwtAuthorizer> authorizer = target.route().authorizer().map(authorizers::get);
        if (authorizer.isPresent()) {
            Map<String, String> headers = new LinkedHashMap<>();
            (event.getHeaders() == null ? Map.<String, String>of() : event.getHeaders())
                    .forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
            switch (authorizer.get().authorize(headers)) {
                case JwtAuthorizer.Denied denied -> {
                    return unauthorized();
                }
                case JwtAuthorizer.Allowed allowed -> HttpEvents.withJwt(event, allowed.claims(), allowed.scopes());
            }
        }
        return (APIGatewayV2HTTPResponse) handler.handleRequest(event, LocalLambdaContext.forFunction(target.function().logicalId()));
    }

    /** API Gateway's answer when its JWT authorizer refuses: no body detail, a Bearer challenge. */
    private static APIGatewayV2HTTPResponse unauthorized() {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(401)
                .withHeaders(Map.of("content-type", "application/json", "www-authenticate", "Bearer"))
                .withBody("{\"message\":\"Unauthorized\"}")
                .withIsBase64Encoded(false)
                .build();
    }

    private static boolean matches(List<String> template, List<String> path) {
        if (template.size() != path.size()) {
            return false;
        }
        for (int i = 0; i < template.size(); i++) {
            String expected = template.get(i);
            if (!(expected.startsWith("{") && expected.endsWith("}") && !path.get(i).isEmpty()) && !expected.equals(path.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static List<String> segments(String path) {
        return List.of(path.replaceAll("^/+|/+$", "").split("/+"));
    }
}
