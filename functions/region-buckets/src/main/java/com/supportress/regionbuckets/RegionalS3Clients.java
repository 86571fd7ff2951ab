package com.supportress.regionbuckets;

import com.supportress.shared.aws.AwsSettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * S3 clients for the regions a request names, each built once per execution environment from the shared
 * settings and HTTP client. The region comes from the resource's properties, so it cannot be a fixed bean.
 */
@Singleton
public class RegionalS3Clients {

    private final AwsSettings settings;
    private final SdkHttpClient httpClient;
    private final Map<Region, S3Client> clients = new ConcurrentHashMap<>();

    public RegionalS3Clients(AwsSettings settings, SdkHttpClient httpClient) {
        this.settings = settings;
        this.httpClient = httpClient;
    }

    public S3Client in(Region region) {
        // Path-style against an emulator: its host name cannot carry the bucket as a subdomain.
        return clients.computeIfAbsent(region, r ->
                settings.build(S3Client.builder().forcePathStyle(settings.usesEmulator()), httpClient, r));
    }

    @PreDestroy
    void close() {
        // The shared HTTP client is closed by its own bean; closing an S3 client leaves a given client open.
        clients.values().forEach(S3Client::close);
    }
}
