package com.supportress.shared.http;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON in and out: our own values through Micronaut Serialization (compile-time, no reflection), untrusted input
 * through one strict reader. Reading a request body also enforces its media type and size, so every API answers
 * 415, 413 and 400 the same way.
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

    /**
     * Untrusted JSON (a request body, a provider event, a queue message) as a tree, read by {@link StrictJson}:
     * well-formed UTF-8 and Unicode, one value and nothing after it, no duplicate names, at most
     * {@value StrictJson#MAX_DEPTH} levels deep, checked while reading so no input can exhaust the stack.
     *
     * @throws MalformedJsonException saying what is wrong, in words fit for a client
     */
    public JsonNode parse(byte[] json) {
        return StrictJson.parse(json);
    }

    /** Why untrusted JSON was refused; the message is safe to show to its sender. */
    public static final class MalformedJsonException extends RuntimeException {
        MalformedJsonException(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * The request body as a JSON object: 415 unless its Content-Type is JSON (RFC 9110 syntax, UTF-8), 413 past the
     * limit, 400 unless it is exactly one well-formed JSON object (see {@link #parse}).
     */
    public JsonNode readObjectBody(ApiRequest request, int limitBytes) {
        if (request.header("content-type").flatMap(MediaType::parse).filter(MediaType::isJson).isEmpty()) {
            throw new ClientErrorException(new ClientError.UnsupportedMediaType("application/json"));
        }
        if (request.body().length > limitBytes) {
            throw new ClientErrorException(new ClientError.PayloadTooLarge(limitBytes));
        }
        JsonNode node;
        try {
            node = parse(request.body());
        } catch (MalformedJsonException e) {
            throw new ClientErrorException(new ClientError.BadRequest("request body is not accepted JSON: " + e.getMessage()));
        }
        if (!node.isObject()) {
            throw new ClientErrorException(new ClientError.BadRequest("request body must be a JSON object"));
        }
        return node;
    }
}
