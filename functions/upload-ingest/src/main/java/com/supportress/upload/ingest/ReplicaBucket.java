package com.supportress.upload.ingest;

import com.supportress.shared.aws.AwsSettings;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The replica bucket in the second region with a client for that region. The shared factory builds the
 * default region's clients; this one reuses its settings and HTTP client, only the region differs.
 */
public record ReplicaBucket(S3Client s3, String bucket, String region) implements AutoCloseable {

    @Override
    public void close() {
        s3.close();
    }

    @Factory
    static class Beans {
        @Singleton
        @Bean(preDestroy = "close")
        ReplicaBucket replicaBucket(AwsSettings settings, SdkHttpClient httpClient, IngestConfig config) {
            S3Client s3 = settings.build(S3Client.builder().forcePathStyle(settings.usesEmulator()), httpClient,
                    Region.of(config.replicaRegion()));
            return new ReplicaBucket(s3, config.replicaBucket(), config.replicaRegion());
        }
    }
}
