package com.supportress.upload.ingest;

import com.supportress.shared.aws.AwsSettings;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.ArrayList;
import java.util.List;

/**
 * The replica bucket in the second region with a client for that region. The shared factory builds the
 * default region's clients; this one reuses its settings and HTTP client, only the region differs, and every
 * request it sends must name the stack's account as the bucket owner ({@link ExpectedOwnerGuard}).
 */
public record ReplicaBucket(S3Client s3, String bucket, String region, String owner) implements AutoCloseable {

    @Override
    public void close() {
        s3.close();
    }

    @Factory
    static class Beans {
        /** Interceptors registered as beans (a test's fault injection or counter) run after the owner guard. */
        @Singleton
        @Bean(preDestroy = "close")
        ReplicaBucket replicaBucket(AwsSettings settings, SdkHttpClient httpClient, IngestConfig config, List<ExecutionInterceptor> extra) {
            List<ExecutionInterceptor> interceptors = new ArrayList<>();
            interceptors.add(new ExpectedOwnerGuard(config.expectedBucketOwner()));
            interceptors.addAll(extra);
            S3Client s3 = settings.build(S3Client.builder().forcePathStyle(settings.usesEmulator())
                    .overrideConfiguration(o -> o.executionInterceptors(interceptors)), httpClient, Region.of(config.replicaRegion()));
            return new ReplicaBucket(s3, config.replicaBucket(), config.replicaRegion(), config.expectedBucketOwner());
        }
    }
}
