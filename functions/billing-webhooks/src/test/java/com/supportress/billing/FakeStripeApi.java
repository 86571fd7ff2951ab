package com.supportress.billing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small stand-in for Stripe's API, enough for {@code GET /v1/events}: events newest first, filtered by
 * {@code created[gte]}, paged {@value #PAGE_SIZE} at a time with {@code has_more} and {@code starting_after},
 * answering 401 unless called with the expected secret key. stripe-mock cannot be installed here.
 */
final class FakeStripeApi implements AutoCloseable {

    static final int PAGE_SIZE = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the server saw it. */
    record Call(String path, Map<String, String> query, String authorization) {
    }

    private final HttpServer server;
    private final String apiKey;
    private final List<ObjectNode> events = new CopyOnWriteArrayList<>();
    final List<Call> calls = new CopyOnWriteArrayList<>();

    FakeStripeApi(String apiKey) throws IOException {
        this.apiKey = apiKey;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String apiBase() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void add(ObjectNode event) {
        events.add(event);
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        calls.add(new Call(exchange.getRequestURI().getPath(), query, authorization));
        if (!("Bearer " + apiKey).equals(authorization)) {
            respond(exchange, 401, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Invalid API Key provided\"}}");
            return;
        }
        if (!exchange.getRequestMethod().equals("GET") || !exchange.getRequestURI().getPath().equals("/v1/events")) {
            respond(exchange, 404, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Unrecognized request URL\"}}");
            return;
        }
        long gte = Long.parseLong(query.getOrDefault("created[gte]", "0"));
        List<ObjectNode> matching = new ArrayList<>(events.stream().filter(e -> e.get("created").asLong() >= gte)
                .sorted(Comparator.comparingLong((ObjectNode e) -> e.get("created").asLong()).thenComparing(e -> e.get("id").asText()).reversed())
                .toList());
        String after = query.get("starting_after");
        if (after != null) {
            int index = 0;
            while (index < matching.size() && !matching.get(index).get("id").asText().equals(after)) {
                index++;
            }
            matching = matching.subList(Math.min(index + 1, matching.size()), matching.size());
        }
        ObjectNode page = JSON.createObjectNode().put("object", "list").put("url", "/v1/events")
                .put("has_more", matching.size() > PAGE_SIZE);
        ArrayNode data = page.putArray("data");
        matching.stream().limit(PAGE_SIZE).forEach(data::add);
        respond(exchange, 200, page.toString());
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] parts = pair.split("=", 2);
                values.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8), parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
            }
        }
        return values;
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Request-Id", "req_fake");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
