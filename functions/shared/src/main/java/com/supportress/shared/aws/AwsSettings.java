package com.supportress.shared.aws;

import com.supportress.shared.config.FunctionEnvironment;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;

import java.net.URI;
import java.util.Optional;

/**
 * Region, credentials and endpoint for every AWS client, read from the standard variables:
 * {@code AWS_REGION}, {@code AWS_ENDPOINT_URL} or {@code -Daws.endpointUrl} (an emulator such as moto or LocalStack when set) and
 * {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}/{@code AWS_SESSION_TOKEN}.
 */
public record AwsSettings(Region region, Optional<URI> endpoint, AwsCredentialsProvider credentials) {

    public static AwsSettings from(FunctionEnvironment environment) {
        Region region = Region.of(environment.get("AWS_REGION", environment.get("AWS_DEFAULT_REGION", "us-east-1")));
        // The SDK's system property for the same setting: how `sam local invoke` reaches an emulator (SamLocalEnvVars).
        Optional<URI> endpoint = environment.find("AWS_ENDPOINT_URL")
                .or(() -> Optional.ofNullable(System.getProperty("aws.endpointUrl")).filter(url -> !url.isBlank()))
                .map(URI::create);
        return new AwsSettings(region, endpoint, credentials(environment));
    }

    private static AwsCredentialsProvider credentials(FunctionEnvironment environment) {
        Optional<String> keyId = environment.find("AWS_ACCESS_KEY_ID");
        Optional<String> secret = environment.find("AWS_SECRET_ACCESS_KEY");
        if (keyId.isEmpty() || secret.isEmpty()) {
            // SnapStart restores without key variables; the default chain then finds the container credentials.
            return DefaultCredentialsProvider.builder().build();
        }
        return StaticCredentialsProvider.create(environment.find("AWS_SESSION_TOKEN")
                .<AwsCredentials>map(token -> AwsSessionCredentials.create(keyId.get(), secret.get(), token))
                .orElseGet(() -> AwsBasicCredentials.create(keyId.get(), secret.get())));
    }

    /** Builds a synchronous client with these settings, in the default region or the one given (a replica region). */
    public <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C build(B builder, SdkHttpClient httpClient) {
        return build(builder, httpClient, region);
    }

    public <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C build(
            B builder, SdkHttpClient httpClient, Region clientRegion) {
        builder.region(clientRegion).credentialsProvider(credentials).httpClient(httpClient);
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    public boolean usesEmulator() {
        return endpoint.isPresent();
    }
}
