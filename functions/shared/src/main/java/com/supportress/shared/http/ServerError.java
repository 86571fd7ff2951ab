package com.supportress.shared.http;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.time.Duration;
import java.util.Map;

/**
 * The closed set of ways a request can fail on our side, the counterpart of {@link ClientError}, each mapped to one
 * status in the HTTP adapter: missing configuration ({@link ServiceUnavailableException}) and a dependency that is
 * slow or unavailable are 503s the client may retry after a while; anything else is a 500, a bug.
 */
public sealed interface ServerError {

    /** What a client is told to wait before retrying when a dependency fails: a throttled or recovering service's pace. */
    long RETRY_AFTER_SECONDS = 5;

    int status();

    String message();

    default Map<String, String> headers() {
        return Map.of();
    }

    /** An AWS call timed out, could not connect, was throttled, or the service answered 5xx. */
    record DependencyUnavailable() implements ServerError {
        public int status() {
            return 503;
        }

        public String message() {
            return "a service this API depends on is slow or unavailable; retry after " + RETRY_AFTER_SECONDS + " seconds";
        }

        public Map<String, String> headers() {
            return Map.of("retry-after", Long.toString(RETRY_AFTER_SECONDS));
        }
    }

    /** The function refuses to run open: a setting or credential is missing; the message names what, never a value. */
    record Unconfigured(String message, Duration retryAfter) implements ServerError {
        public int status() {
            return 503;
        }

        public Map<String, String> headers() {
            return Map.of("retry-after", Long.toString(retryAfter.toSeconds()));
        }
    }

    record Internal() implements ServerError {
        public int status() {
            return 500;
        }

        public String message() {
            return "internal error";
        }
    }

    /** The error a failure amounts to: missing configuration, else the first AWS SDK failure in its causes, else internal. */
    static ServerError of(Throwable failure) {
        if (failure instanceof ServiceUnavailableException unconfigured) {
            return new Unconfigured(unconfigured.getMessage(), unconfigured.retryAfter());
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SdkClientException) {
                // No answer from the service: a call or attempt timeout, a refused or dropped connection.
                return new DependencyUnavailable();
            }
            if (cause instanceof AwsServiceException service) {
                return service.isThrottlingException() || service.statusCode() >= 500 ? new DependencyUnavailable() : new Internal();
            }
        }
        return new Internal();
    }
}
