package com.supportress.backup;

import com.supportress.shared.aws.AwsSettings;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.Optional;

/** The backup bucket of the stack's region, its copy in the second region, and the working bucket. */
public record BackupStores(BackupStore primary, BackupStore replica, WorkBucket work) {

    /** The store of a region by its id, for an operator restoring from a copy; empty for any other region. */
    public Optional<BackupStore> inRegion(String regionId) {
        if (primary.region().id().equals(regionId)) {
            return Optional.of(primary);
        }
        if (replica.region().id().equals(regionId)) {
            return Optional.of(replica);
        }
        return Optional.empty();
    }

    public static BackupStores of(S3Client s3, S3Client replicaS3, BackupConfig config, JsonMapper json) {
        return new BackupStores(
                new BackupStore(s3, config.bucket(), config.region(), config.bucketOwner(), json),
                new BackupStore(replicaS3, config.replicaBucket(), config.replicaRegion(), config.bucketOwner(), json),
                new WorkBucket(s3, config.workBucket(), config.bucketOwner(), json));
    }

    @Factory
    static class Beans {
        // Not an S3Client bean itself: the function's one S3Client bean stays the stack region's.
        @Singleton
        @Bean(preDestroy = "close")
        ReplicaS3 replicaS3(AwsSettings settings, SdkHttpClient httpClient, BackupConfig config) {
            return new ReplicaS3(settings.build(S3Client.builder().forcePathStyle(settings.usesEmulator()), httpClient, config.replicaRegion()));
        }

        @Singleton
        BackupStores backupStores(S3Client s3, ReplicaS3 replica, BackupConfig config, JsonMapper json) {
            return of(s3, replica.client(), config, json);
        }
    }

    record ReplicaS3(S3Client client) implements AutoCloseable {
        @Override
        public void close() {
            client.close();
        }
    }
}
