package com.supportress.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.HttpEvents;
import com.supportress.emulator.LocalFunction;
import com.supportress.emulator.LocalLambdaContext;
import com.supportress.shared.http.ApiRequest;
import com.supportress.shared.http.ApiResponse;
import com.supportress.shared.http.ClientErrorException;
import com.supportress.shared.http.Routes;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * Stands in for API Gateway: every HttpApi route of template.yaml goes to its function's Lambda handler
 * as a payload 2.0 event, and the handler's response goes back as HTTP. Paths no route claims are served
 * from the classpath folder public/ (the upload page), else 404 as API Gateway answers.
 */
final class LocalHttpServer implements AutoCloseable {

    private static final List<String> ANY = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");
    // API Gateway's own payload limit.
    private static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

    private final HttpServer server;
    private final Routes routes = new Routes();
    private final CorsPolicy cors;

    LocalHttpServer(EmulatedStack stack, LocalFunctions functions, int port) throws IOException {
        for (LocalFunction function : LocalFunction.all(stack.template())) {
            if (function.routes().isEmpty()) {
                continue;
            }
            RequestHandler<Object, Object> handler = functions.handler(function);
            for (LocalFunction.Route route : function.routes()) {
                for (String method : route.method().equals("ANY") ? ANY : List.of(route.method())) {
                    routes.on(method, route.path(), request -> invoke(handler, function, request));
                }
            }
        }
        this.cors = CorsPolicy.from(stack);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.createContext("/", this::serve);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            ApiResponse response = respond(exchange);
            Map<String, String> headers = new LinkedHashMap<>(response.headers());
            headers.putAll(cors.responseHeaders(exchange.getRequestHeaders().getFirst("Origin")));
            headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            byte[] body = response.body() == null ? new byte[0] : response.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    private ApiResponse respond(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (method.equals("OPTIONS")) {
            return new ApiResponse(204, cors.preflightHeaders(exchange.getRequestHeaders().getFirst("Origin")), null);
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            return ApiResponse.json(413, "{\"message\":\"Request Entity Too Large\"}");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), String.join(",", values)));
        String path = exchange.getRequestURI().getRawPath();
        ApiRequest request = new ApiRequest(method, path, headers, QueryStrings.parse(exchange.getRequestURI().getRawQuery()), Map.of(), body,
                exchange.getRemoteAddress().getAddress().getHostAddress(), "local", headers.getOrDefault("host", "localhost"));
        try {
            return routes.dispatch(request);
        } catch (ClientErrorException noRoute) {
            return StaticFiles.find(path).orElseGet(() -> ApiResponse.json(404, "{\"message\":\"Not Found\"}"));
        }
    }

    private static ApiResponse invoke(RequestHandler<Object, Object> handler, LocalFunction function, ApiRequest request) {
        var event = HttpEvents.request(request.method(), request.path(), request.headers(), request.body(), request.sourceIp());
        if (!request.query().isEmpty()) {
            event.setQueryStringParameters(request.query());
        }
        APIGatewayV2HTTPResponse response = (APIGatewayV2HTTPResponse) handler.handleRequest(event,
                LocalLambdaContext.forFunction(function.logicalId()));
        byte[] body = response.getBody() == null ? new byte[0]
                : response.getIsBase64Encoded() ? Base64.getDecoder().decode(response.getBody())
                : response.getBody().getBytes(StandardCharsets.UTF_8);
        return new ApiResponse(response.getStatusCode(), response.getHeaders() == null ? Map.of() : response.getHeaders(),
                new String(body, StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
