package com.supportress.shared.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * The body of every 4xx and 5xx, on every route: an RFC 9457 problem detail ({@code application/problem+json}).
 * {@code type} names the kind of problem (a stable identifier under {@link #TYPE_BASE}, documented in README),
 * {@code title} is its fixed summary, {@code detail} says what was wrong with this request, {@code fields} names
 * every invalid input field, and {@code requestId} is the id to quote when asking about this request.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProblemDetails(String type, String title, int status, String detail, List<FieldError> fields, String requestId) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://supportress.example/problems/";

    /** A problem type: the last segment of its {@code type} URI and its fixed title. */
    private record Kind(String slug, String title) {
    }

    /** The one mapping from a client error to its problem type and title. */
    public static ProblemDetails of(ClientError error, String requestId) {
        Kind kind = switch (error) {
            case ClientError.InvalidFields ignored -> new Kind("invalid-fields", "Invalid request fields");
            case ClientError.BadRequest ignored -> new Kind("bad-request", "Bad request");
            case ClientError.Unauthorized ignored -> new Kind("unauthorized", "Unauthorized");
            case ClientError.Forbidden ignored -> new Kind("forbidden", "Forbidden");
            case ClientError.NotFound ignored -> new Kind("not-found", "Not found");
            case ClientError.MethodNotAllowed ignored -> new Kind("method-not-allowed", "Method not allowed");
            case ClientError.Conflict ignored -> new Kind("conflict", "Conflict");
            case ClientError.PayloadTooLarge ignored -> new Kind("content-too-large", "Content too large");
            case ClientError.UnsupportedMediaType ignored -> new Kind("unsupported-media-type", "Unsupported media type");
            case ClientError.Unprocessable ignored -> new Kind("unprocessable-content", "Unprocessable content");
            case ClientError.RateLimited ignored -> new Kind("too-many-requests", "Too many requests");
        };
        return new ProblemDetails(TYPE_BASE + kind.slug(), kind.title(), error.status(), error.message(), error.fields(), requestId);
    }

    /** The one mapping from a server error to its problem type and title; a 500 tells nothing but the request id. */
    public static ProblemDetails of(ServerError error, String requestId) {
        Kind kind = switch (error) {
            case ServerError.DependencyUnavailable ignored -> new Kind("dependency-unavailable", "Service unavailable");
            case ServerError.Unconfigured ignored -> new Kind("service-unavailable", "Service unavailable");
            case ServerError.Internal ignored -> new Kind("internal-error", "Internal server error");
        };
        String detail = error instanceof ServerError.Internal
                ? "the request failed on our side; quote the requestId if you contact us" : error.message();
        return new ProblemDetails(TYPE_BASE + kind.slug(), kind.title(), error.status(), detail, null, requestId);
    }
}
