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
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Region, credentials, endpoints and call limits for every AWS client, read from the standard variables:
 * {@code AWS_REGION}, {@code AWS_ENDPOINT_URL} or {@code -Daws.endpointUrl} (an emulator such as moto or LocalStack when set), the service-specific
 * {@code AWS_ENDPOINT_URL_<SERVICE>} (e.g. {@code AWS_ENDPOINT_URL_SESV2}), which wins for its service, and
 * {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}/{@code AWS_SESSION_TOKEN}.
 */
public record AwsSettings(Region region, Optional<URI> endpoint, Map<String, URI> serviceEndpoints,
                          AwsCredentialsProvider credentials, AwsCallLimits limits) {

    private static final String ENDPOINT = "AWS_ENDPOINT_URL";

    public AwsSettings {
        serviceEndpoints = Map.copyOf(serviceEndpoints);
    }

    /** One endpoint for every service, the SDK's default limits (a test pointing everything at one place). */
    public AwsSettings(Region region, Optional<URI> endpoint, AwsCredentialsProvider credentials) {
        this(region, endpoint, Map.of(), credentials, AwsCallLimits.BACKGROUND);
    }

    public static AwsSettings from(FunctionEnvironment environment) {
        return from(environment, AwsCallLimits.BACKGROUND);
    }

    public static AwsSettings from(FunctionEnvironment environment, AwsCallLimits limits) {
        Region region = Region.of(environment.get("AWS_REGION", environment.get("AWS_DEFAULT_REGION", "us-east-1")));
        // The SDK's system property for the same setting: how `sam local invoke` reaches an emulator (SamLocalEnvVars).
        Optional<URI> endpoint = environment.find(ENDPOINT)
                .or(() -> Optional.ofNullable(System.getProperty("aws.endpointUrl")).filter(url -> !url.isBlank()))
                .map(URI::create);
        Map<String, URI> serviceEndpoints = environment.variables().entrySet().stream()
                .filter(variable -> variable.getKey().startsWith(ENDPOINT + "_") && !variable.getValue().isBlank())
                .collect(Collectors.toMap(variable -> variable.getKey().substring(ENDPOINT.length() + 1), variable -> URI.create(variable.getValue())));
        return new AwsSettings(region, endpoint, serviceEndpoints, credentials(environment), limits);
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
        return build(builder, httpClient, clientRegion, endpoint);
    }

    /**
     * A client of the service whose endpoint variable ends in {@code serviceId} ({@code AWS_ENDPOINT_URL_SESV2}: "SESV2"),
     * pointed at that endpoint when it is set.
     */
    public <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C build(
            String serviceId, B builder, SdkHttpClient httpClient) {
        return build(builder, httpClient, region, endpointFor(serviceId));
    }

    /** The endpoint of one service: its own variable, else AWS_ENDPOINT_URL, else none (AWS itself). */
    public Optional<URI> endpointFor(String serviceId) {
        return Optional.ofNullable(serviceEndpoints.get(serviceId)).or(() -> endpoint);
    }

    private <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C build(
            B builder, SdkHttpClient httpClient, Region clientRegion, Optional<URI> clientEndpoint) {
        builder.region(clientRegion).credentialsProvider(credentials).httpClient(httpClient)
                .overrideConfiguration(limits.applyTo(builder.overrideConfiguration()));
        clientEndpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    public boolean usesEmulator() {
        return endpoint.isPresent();
    }
}
