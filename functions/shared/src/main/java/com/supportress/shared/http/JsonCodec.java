package com.supportress.shared.http;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * JSON in and out through Micronaut Serialization (compile-time, no reflection). Reading a request
 * body also enforces its media type and size, so every API answers 415 and 413 the same way.
 */
@Singleton
public class JsonCodec {

    private final JsonMapper mapper;

    public JsonCodec(JsonMapper mapper) {
        this.mapper = mapper;
    }

    public String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public <T> T read(byte[] json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + type.getSimpleName(), e);
        }
    }

    /** The request body as a JSON object: 415 unless declared JSON, 413 past the limit, 400 unless an object. */
    public JsonNode readObjectBody(ApiRequest request, int limitBytes) {
        String contentType = request.header("content-type").orElse("").toLowerCase(Locale.ROOT);
        if (!contentType.equals("application/json") && !contentType.startsWith("application/json;")) {
            throw new ClientErrorException(new ClientError.UnsupportedMediaType("application/json"));
        }
        if (request.body().length > limitBytes) {
            throw new ClientErrorException(new ClientError.PayloadTooLarge(limitBytes));
        }
        JsonNode node;
        try {
            node = mapper.readValue(request.body(), JsonNode.class);
        } catch (IOException | RuntimeException e) {
            throw new ClientErrorException(new ClientError.BadRequest("request body is not valid JSON"));
        }
        if (node == null || !node.isObject()) {
            throw new ClientErrorException(new ClientError.BadRequest("request body must be a JSON object"));
        }
        return node;
    }
}
