package com.supportress.shared.http;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** Unit tier: which failures are a dependency to wait for (503) and which are bugs (500). */
class ServerErrorTest {

    @Test
    void noAnswerFromAServiceIsA503WithRetryAfter() {
        ServerError timeout = ServerError.of(ApiCallTimeoutException.create(4000));
        assertEquals(503, timeout.status());
        assertEquals("5", timeout.headers().get("retry-after"));
        assertInstanceOf(ServerError.DependencyUnavailable.class,
                ServerError.of(new IllegalStateException("wrapped", SdkClientException.create("connection refused"))));
    }

    @Test
    void missingConfigurationIsA503SayingWhen() {
        ServerError unconfigured = ServerError.of(new ServiceUnavailableException("Stripe webhooks are not configured", Duration.ofMinutes(5)));
        assertEquals(503, unconfigured.status());
        assertEquals("Stripe webhooks are not configured", unconfigured.message());
        assertEquals("300", unconfigured.headers().get("retry-after"));
    }

    @Test
    void throttlingAndServiceFaultsAre503s() {
        assertEquals(503, ServerError.of(serviceError(400, "ThrottlingException")).status());
        assertEquals(503, ServerError.of(serviceError(500, "InternalServerError")).status());
        assertEquals(503, ServerError.of(serviceError(503, "ServiceUnavailable")).status());
    }

    @Test
    void everythingElseIsA500() {
        assertEquals(500, ServerError.of(serviceError(400, "ValidationException")).status());
        assertEquals(500, ServerError.of(serviceError(403, "AccessDeniedException")).status());
        assertEquals(500, ServerError.of(new UncheckedIOException(new IOException("disk"))).status());
        assertEquals(500, ServerError.of(new NullPointerException()).status());
    }

    private static AwsServiceException serviceError(int status, String code) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build()).build();
    }
}
