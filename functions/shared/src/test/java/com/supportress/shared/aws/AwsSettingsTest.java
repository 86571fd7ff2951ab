package com.supportress.shared.aws;

import com.supportress.shared.config.FunctionEnvironment;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tier: how clients are configured from a function's environment; no emulator, no call made. */
class AwsSettingsTest {

    private static final FunctionEnvironment ENVIRONMENT = FunctionEnvironment.of(Map.of(
            "AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test",
            "AWS_ENDPOINT_URL", "http://127.0.0.1:5000", "AWS_ENDPOINT_URL_SESV2", "http://127.0.0.1:6000"));

    @Test
    void requestPathClientsAreCutOffAndAServiceCanHaveItsOwnEndpoint() {
        AwsSettings settings = AwsSettings.from(ENVIRONMENT, AwsCallLimits.REQUEST_PATH);
        try (SesV2Client ses = settings.build("SESV2", SesV2Client.builder(), UrlConnectionHttpClient.create());
             DynamoDbClient dynamoDb = settings.build("DYNAMODB", DynamoDbClient.builder(), UrlConnectionHttpClient.create())) {
            ClientOverrideConfiguration configuration = ses.serviceClientConfiguration().overrideConfiguration();
            assertEquals(Optional.of(Duration.ofSeconds(4)), configuration.apiCallTimeout());
            assertEquals(Optional.of(Duration.ofSeconds(2)), configuration.apiCallAttemptTimeout());
            assertEquals(2, configuration.retryStrategy().orElseThrow().maxAttempts());
            assertEquals(Optional.of(URI.create("http://127.0.0.1:6000")), ses.serviceClientConfiguration().endpointOverride());
            assertEquals(Optional.of(URI.create("http://127.0.0.1:5000")), dynamoDb.serviceClientConfiguration().endpointOverride());
        }
    }

    @Test
    void backgroundClientsKeepTheSdkDefaultsAndWhatTheCallerSet() {
        ExecutionInterceptor interceptor = new ExecutionInterceptor() {
        };
        AwsSettings settings = AwsSettings.from(ENVIRONMENT);
        try (DynamoDbClient dynamoDb = settings.build(DynamoDbClient.builder().overrideConfiguration(c -> c.addExecutionInterceptor(interceptor)),
                UrlConnectionHttpClient.create())) {
            ClientOverrideConfiguration configuration = dynamoDb.serviceClientConfiguration().overrideConfiguration();
            assertEquals(Optional.empty(), configuration.apiCallTimeout());
            assertTrue(configuration.executionInterceptors().contains(interceptor));
        }
        try (DynamoDbClient chosen = AwsSettings.from(ENVIRONMENT, AwsCallLimits.REQUEST_PATH).build(
                DynamoDbClient.builder().overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(20))), UrlConnectionHttpClient.create())) {
            assertEquals(Optional.of(Duration.ofSeconds(20)), chosen.serviceClientConfiguration().overrideConfiguration().apiCallTimeout());
        }
    }
}
