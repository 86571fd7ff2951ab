package com.supportress.emulator;

import com.supportress.shared.aws.AwsSettings;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.Optional;

/**
 * moto as installed and moto from the launcher, side by side on their own ports, to show what the patches change:
 * a JUnit extension ({@code @RegisterExtension static}) that starts both before a class's tests and stops them after.
 */
final class MotoPair implements BeforeAllCallback, AfterAllCallback {

    MotoServer plain;
    MotoServer launched;
    private final SdkHttpClient http = UrlConnectionHttpClient.create();

    @Override
    public void beforeAll(ExtensionContext context) {
        plain = MotoServer.startUnpatched();
        launched = MotoServer.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        plain.close();
        launched.close();
        http.close();
    }

    DynamoDbClient dynamoDb(MotoServer server) {
        return settings(server).build(DynamoDbClient.builder(), http);
    }

    S3Client s3(MotoServer server) {
        return settings(server).build(S3Client.builder().forcePathStyle(true), http);
    }

    private static AwsSettings settings(MotoServer server) {
        return new AwsSettings(EmulatedStack.REGION, Optional.of(server.endpoint()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(Emulator.ACCESS_KEY, Emulator.SECRET_KEY)));
    }
}
