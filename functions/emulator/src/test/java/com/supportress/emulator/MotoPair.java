package com.supportress.emulator;

import com.supportress.shared.aws.AwsSettings;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.Optional;

/** moto as installed and moto from the launcher, side by side on their own ports, to show what the patches change. */
final class MotoPair implements AutoCloseable {

    final MotoServer plain = MotoServer.startUnpatched();
    final MotoServer launched = MotoServer.start();
    private final SdkHttpClient http = UrlConnectionHttpClient.create();

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

    @Override
    public void close() {
        plain.close();
        launched.close();
        http.close();
    }
}
