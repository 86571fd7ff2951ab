package com.supportress.shared.http;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The small closed set of ways a caller can be wrong. Each maps to exactly one status code here and
 * nowhere else; anything that is not a ClientError is a server fault and a 5xx.
 */
public sealed interface ClientError {

    int status();

    String message();

    default List<FieldError> fields() {
        return null;
    }

    default Map<String, String> headers() {
        return Map.of();
    }

    record InvalidFields(List<FieldError> fields) implements ClientError {
        public InvalidFields {
            fields = List.copyOf(fields);
        }

        public static InvalidFields of(String field, String message) {
            return new InvalidFields(List.of(new FieldError(field, message)));
        }

        public int status() {
            return 400;
        }

        public String message() {
            return "invalid request: " + String.join(", ", fields.stream().map(FieldError::field).toList());
        }
    }

    record BadRequest(String message) implements ClientError {
        public int status() {
            return 400;
        }
    }

    record Unauthorized(String message, String challenge) implements ClientError {
        public int status() {
            return 401;
        }

        public Map<String, String> headers() {
            return challenge == null ? Map.of() : Map.of("www-authenticate", challenge);
        }
    }

    /** Authenticated, but not allowed: e.g. a verified token that names no tenant. */
    record Forbidden(String message) implements ClientError {
        public int status() {
            return 403;
        }
    }

    record NotFound(String message) implements ClientError {
        public int status() {
            return 404;
        }
    }

    record MethodNotAllowed(Set<String> allowed) implements ClientError {
        public int status() {
            return 405;
        }

        public String message() {
            return "method not allowed; use " + String.join(" or ", new TreeSet<>(allowed));
        }

        public Map<String, String> headers() {
            return Map.of("allow", String.join(", ", new TreeSet<>(allowed)));
        }
    }

    record Conflict(String message) implements ClientError {
        public int status() {
            return 409;
        }
    }

    record PayloadTooLarge(long limitBytes) implements ClientError {
        public int status() {
            return 413;
        }

        public String message() {
            return "request body is larger than " + limitBytes + " bytes";
        }
    }

    record UnsupportedMediaType(String expected) implements ClientError {
        public int status() {
            return 415;
        }

        public String message() {
            return "request body must be " + expected;
        }
    }

    record Unprocessable(String message) implements ClientError {
        public int status() {
            return 422;
        }
    }

    record RateLimited(long retryAfterSeconds) implements ClientError {
        public int status() {
            return 429;
        }

        public String message() {
            return "too many requests; retry after " + retryAfterSeconds + " seconds";
        }

        public Map<String, String> headers() {
            return Map.of("retry-after", Long.toString(retryAfterSeconds));
        }
    }
}
