package com.supportress.shared.aws;

import com.supportress.shared.config.FunctionEnvironment;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Secondary;
import jakarta.inject.Singleton;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Duration;

/**
 * AWS clients, each built once per execution environment, with the function's {@link AwsCallLimits}. A function
 * gets only the clients whose SDK module it declares: the others are skipped because their classes are absent.
 */
@Factory
public class AwsClientFactory {

    /** Background limits unless the function registers its own (every HTTP function does, see HttpFunctionHandler). */
    @Singleton
    @Secondary
    AwsCallLimits backgroundCallLimits() {
        return AwsCallLimits.BACKGROUND;
    }

    @Singleton
    AwsSettings awsSettings(FunctionEnvironment environment, AwsCallLimits limits) {
        return AwsSettings.from(environment, limits);
    }

    @Singleton
    @Bean(preDestroy = "close")
    SdkHttpClient httpClient() {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(30))
                .build();
    }

    @Singleton
    @Requires(classes = DynamoDbClient.class)
    DynamoDbClient dynamoDb(AwsSettings settings, SdkHttpClient httpClient) {
        return settings.build("DYNAMODB", DynamoDbClient.builder(), httpClient);
    }

    @Singleton
    @Requires(classes = SesV2Client.class)
    SesV2Client ses(AwsSettings settings, SdkHttpClient httpClient) {
        return settings.build("SESV2", SesV2Client.builder(), httpClient);
    }

    @Singleton
    @Requires(classes = SqsClient.class)
    SqsClient sqs(AwsSettings settings, SdkHttpClient httpClient) {
        return settings.build("SQS", SqsClient.builder(), httpClient);
    }

    @Singleton
    @Requires(classes = S3Client.class)
    S3Client s3(AwsSettings settings, SdkHttpClient httpClient) {
        return settings.build("S3", S3Client.builder().forcePathStyle(settings.usesEmulator()), httpClient);
    }

    @Singleton
    @Requires(classes = S3Presigner.class)
    S3Presigner s3Presigner(AwsSettings settings) {
        S3Presigner.Builder builder = S3Presigner.builder()
                .region(settings.region())
                .credentialsProvider(settings.credentials())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.usesEmulator()).build());
        settings.endpointFor("S3").ifPresent(builder::endpointOverride);
        return builder.build();
    }
}
