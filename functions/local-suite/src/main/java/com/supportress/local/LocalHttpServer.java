package com.supportress.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.supportress.emulator.ApiGateway;
import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.HttpEvents;
import com.supportress.emulator.LocalFunction;
import com.supportress.shared.http.ApiResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;

/**
 * Stands in for API Gateway: every HttpApi route of template.yaml goes, through its authorizer
 * ({@link ApiGateway}), to its function's Lambda handler as a payload 2.0 event, and the handler's response goes
 * back as HTTP; paths no route claims get API Gateway's 404. The pages are routes like any other (PagesFunction).
 */
final class LocalHttpServer implements AutoCloseable {

    // API Gateway's own payload limit.
    private static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

    private final HttpServer server;
    private final ApiGateway gateway;
    private final Map<String, RequestHandler<Object, Object>> handlers = new HashMap<>();
    private final CorsPolicy cors;

    LocalHttpServer(EmulatedStack stack, LocalFunctions functions, int port) throws IOException {
        for (LocalFunction function : LocalFunction.all(stack.template())) {
            if (!function.routes().isEmpty()) {
                handlers.put(function.logicalId(), functions.handler(function));
            }
        }
        this.gateway = ApiGateway.of(stack);
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
        Optional<ApiGateway.Target> target = gateway.route(method, path);
        if (target.isEmpty()) {
            return ApiResponse.json(404, "{\"message\":\"Not Found\"}");
        }
        var event = HttpEvents.request(method, path, headers, body, exchange.getRemoteAddress().getAddress().getHostAddress());
        Map<String, String> query = QueryStrings.parse(exchange.getRequestURI().getRawQuery());
        if (!query.isEmpty()) {
            event.setQueryStringParameters(query);
        }
        APIGatewayV2HTTPResponse response = gateway.invoke(handlers.get(target.get().function().logicalId()), event);
        byte[] answer = response.getBody() == null ? new byte[0]
                : response.getIsBase64Encoded() ? Base64.getDecoder().decode(response.getBody())
                : response.getBody().getBytes(StandardCharsets.UTF_8);
        return new ApiResponse(response.getStatusCode(), response.getHeaders() == null ? Map.of() : response.getHeaders(),
                new String(answer, StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
