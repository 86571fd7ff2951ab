package com.supportress.billing;

import com.supportress.shared.aws.AwsSettings;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The Secrets Manager client, built once with the shared settings; only billing reads secrets. */
@Factory
public class SecretsManagerClientFactory {

    @Singleton
    SecretsManagerClient secretsManager(AwsSettings settings, SdkHttpClient httpClient) {
        return settings.build(SecretsManagerClient.builder(), httpClient);
    }
}
